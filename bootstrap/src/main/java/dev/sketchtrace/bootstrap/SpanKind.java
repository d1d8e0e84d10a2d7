package dev.sketchtrace.bootstrap;

/** The OpenTelemetry span kinds that Sketchtrace produces. */
public enum SpanKind {
  INTERNAL,
  SERVER,
  CLIENT
}
