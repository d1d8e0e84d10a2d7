package dev.sketchtrace.api;

/** A span backed by the agent's {@code CustomSpan} event, reached through {@link AgentBridge}. */
final class AgentSpan implements Span {
  private final AgentBridge bridge;
  private final Object event;

  AgentSpan(AgentBridge bridge, Object event) {
    this.bridge = bridge;
    this.event = event;
  }

  @Override
  public Span setAttribute(String key, String value) {
    if (key != null && value != null) {
      bridge.setAttribute(event, key, value);
    }
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    return setAttribute(key, Long.toString(value));
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return setAttribute(key, Boolean.toString(value));
  }

  @Override
  public Span recordException(Throwable exception) {
    if (exception != null) {
      bridge.recordException(event, exception);
    }
    return this;
  }

  @Override
  public Span setError(String errorType) {
    if (errorType != null) {
      bridge.setError(event, errorType);
    }
    return this;
  }

  @Override
  public Scope makeCurrent() {
    Object previous = bridge.attach(event);
    return () -> bridge.restore(previous);
  }

  @Override
  public void end() {
    bridge.end(event);
  }

  @Override
  public void close() {
    end();
  }

  @Override
  public String traceId() {
    return bridge.traceId(event);
  }

  @Override
  public String spanId() {
    return bridge.spanId(event);
  }
}
