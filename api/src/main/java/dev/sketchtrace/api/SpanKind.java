package dev.sketchtrace.api;

/** What a span represents, as in OpenTelemetry. */
public enum SpanKind {
  INTERNAL,
  SERVER,
  CLIENT
}
