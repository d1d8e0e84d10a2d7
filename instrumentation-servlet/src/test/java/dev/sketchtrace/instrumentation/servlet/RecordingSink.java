package dev.sketchtrace.instrumentation.servlet;

import dev.sketchtrace.instrumentation.api.AttributeSink;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collects what a mapper writes, in order; null values are skipped as the agent's sink does. */
final class RecordingSink implements AttributeSink {
  final Map<String, Object> values = new LinkedHashMap<>();

  @Override
  public void put(String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }

  @Override
  public void put(String key, long value) {
    values.put(key, value);
  }

  @Override
  public void put(String key, double value) {
    values.put(key, value);
  }

  @Override
  public void put(String key, boolean value) {
    values.put(key, value);
  }
}
