package dev.sketchtrace.api;

/**
 * A span the application measures itself. Start one with {@link Tracing#startSpan}, end it exactly
 * once with {@link #end()} (or try-with-resources). Without the agent every method does nothing.
 *
 * <p>Not thread-safe: one thread sets attributes and ends the span, as with the spans the agent's
 * instrumentation makes; ending it from another thread is fine once attributes are set.
 */
public interface Span extends AutoCloseable {

  /** Adds an attribute (at most 32 per span; later ones are ignored). Null keys or values are ignored. */
  Span setAttribute(String key, String value);

  Span setAttribute(String key, long value);

  Span setAttribute(String key, boolean value);

  /** Marks the span failed with this exception; its class name becomes {@code error.type}. */
  Span recordException(Throwable exception);

  /** Marks the span failed without an exception, e.g. {@code "timeout"}. */
  Span setError(String errorType);

  /**
   * Makes this span the current one on this thread until the returned scope is closed: spans
   * started meanwhile — the application's own and the agent's (queries, outgoing calls) — become
   * its children.
   */
  Scope makeCurrent();

  /** Ends the span; only the first call counts. */
  void end();

  /** Same as {@link #end()}, for try-with-resources. */
  @Override
  void close();

  /** The W3C trace id in lowercase hex, or 32 zeros without the agent. */
  String traceId();

  /** The span id in lowercase hex, or 16 zeros without the agent. */
  String spanId();
}
