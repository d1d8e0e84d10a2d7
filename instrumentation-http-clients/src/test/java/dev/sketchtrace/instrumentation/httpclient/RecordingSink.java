package dev.sketchtrace.instrumentation.httpclient;

import dev.sketchtrace.instrumentation.api.AttributeSink;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link AttributeSink} that keeps what it is given, in order, for assertions. */
final class RecordingSink implements AttributeSink {
  final Map<String, Object> attributes = new LinkedHashMap<>();

  @Override
  public void put(String key, String value) {
    if (value != null) {
      attributes.put(key, value);
    }
  }

  @Override
  public void put(String key, long value) {
    attributes.put(key, value);
  }

  @Override
  public void put(String key, double value) {
    attributes.put(key, value);
  }

  @Override
  public void put(String key, boolean value) {
    attributes.put(key, value);
  }
}
