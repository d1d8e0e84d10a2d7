package dev.sketchtrace.instrumentation.servlet;

import dev.sketchtrace.instrumentation.api.AttributeSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what a mapper writes, in order; null values are skipped as the agent's sink does. {@link
 * #keys} keeps every write, duplicates included, as the agent's series key does (the map hides them).
 */
final class RecordingSink implements AttributeSink {
  final Map<String, Object> values = new LinkedHashMap<>();
  final List<String> keys = new ArrayList<>();

  @Override
  public void put(String key, String value) {
    if (value != null) {
      values.put(key, value);
      keys.add(key);
    }
  }

  @Override
  public void put(String key, long value) {
    values.put(key, value);
    keys.add(key);
  }

  @Override
  public void put(String key, double value) {
    values.put(key, value);
    keys.add(key);
  }

  @Override
  public void put(String key, boolean value) {
    values.put(key, value);
    keys.add(key);
  }
}
