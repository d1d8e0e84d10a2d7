package dev.sketchtrace.instrumentation.api;

/**
 * Receives attributes from a {@link SpanMapper}; implemented by the agent with reusable buffers so
 * that mapping allocates nothing per event. A null value means "absent" and is skipped.
 */
public interface AttributeSink {
  void put(String key, String value);

  void put(String key, long value);

  void put(String key, double value);

  void put(String key, boolean value);
}
