package dev.sketchtrace.agent.export;

import dev.sketchtrace.instrumentation.api.AttributeSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * An {@link AttributeSink} that builds OpenTelemetry {@link Attributes}; used on the folder thread
 * once per series for metric points (kept spans are written by {@link SpanEncoder}). Null keys and
 * values are skipped. Not thread-safe; one instance per use.
 */
public final class OtelAttributes implements AttributeSink {
  private final AttributesBuilder builder = Attributes.builder();

  @Override
  public void put(String key, String value) {
    if (key != null && value != null) {
      builder.put(AttributeKey.stringKey(key), value);
    }
  }

  @Override
  public void put(String key, long value) {
    if (key != null) {
      builder.put(AttributeKey.longKey(key), value);
    }
  }

  @Override
  public void put(String key, double value) {
    if (key != null) {
      builder.put(AttributeKey.doubleKey(key), value);
    }
  }

  @Override
  public void put(String key, boolean value) {
    if (key != null) {
      builder.put(AttributeKey.booleanKey(key), value);
    }
  }

  public Attributes build() {
    return builder.build();
  }
}
