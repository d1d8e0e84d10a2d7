package dev.sketchtrace.agent.fold;

import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;

/**
 * What a span made through {@code dev.sketchtrace.api} means: its duration folds into {@code
 * sketchtrace.span.duration} per span name and kind (the application chooses the names, and the
 * folder bounds the series per metric); the span keeps the attributes the application set.
 * Stateless, thread-safe.
 */
public final class CustomSpanMapper implements SpanMapper<CustomSpan> {
  public static final String METRIC = "sketchtrace.span.duration";
  /** Lowercase kind names, made once: the fold path allocates nothing. */
  private static final String[] KIND_NAMES = kindNames();

  private static String[] kindNames() {
    dev.sketchtrace.bootstrap.SpanKind[] kinds = dev.sketchtrace.bootstrap.SpanKind.values();
    String[] names = new String[kinds.length];
    for (dev.sketchtrace.bootstrap.SpanKind kind : kinds) {
      names[kind.ordinal()] = kind.name().toLowerCase(java.util.Locale.ROOT);
    }
    return names;
  }

  @Override
  public Class<CustomSpan> eventType() {
    return CustomSpan.class;
  }

  @Override
  public String metricName(CustomSpan event) {
    return METRIC;
  }

  @Override
  public void seriesAttributes(CustomSpan event, AttributeSink series) {
    series.put("span.name", event.name());
    series.put("span.kind", KIND_NAMES[event.kind().ordinal()]);
  }

  @Override
  public String errorType(CustomSpan event) {
    if (event.errorType() != null) {
      return event.errorType();
    }
    Throwable t = event.exception();
    return t == null ? null : t.getClass().getName();
  }

  @Override
  public String spanName(CustomSpan event) {
    return event.name();
  }

  @Override
  public void spanAttributes(CustomSpan event, AttributeSink span) {
    for (int i = 0; i < event.attributeCount(); i++) {
      span.put(event.attributeKey(i), event.attributeValue(i));
    }
  }
}
