package dev.sketchtrace.api;

/** The span and scope used without the agent: every method does nothing. Stateless. */
final class NoopSpan implements Span, Scope {
  static final NoopSpan INSTANCE = new NoopSpan();

  private NoopSpan() {}

  @Override
  public Span setAttribute(String key, String value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    return this;
  }

  @Override
  public Span setError(String errorType) {
    return this;
  }

  @Override
  public Scope makeCurrent() {
    return this;
  }

  @Override
  public void end() {}

  @Override
  public void close() {}

  @Override
  public String traceId() {
    return "00000000000000000000000000000000";
  }

  @Override
  public String spanId() {
    return "0000000000000000";
  }
}
