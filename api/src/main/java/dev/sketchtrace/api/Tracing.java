package dev.sketchtrace.api;

/**
 * The entry point for application-made spans:
 *
 * <pre>{@code
 * try (Span span = Tracing.startSpan("reindex")) {
 *   span.setAttribute("index.name", name);
 *   ...
 * }
 * }</pre>
 *
 * <p>With the Sketchtrace agent attached the span becomes a child of the current span (a served
 * request, say), its duration folds into the {@code sketchtrace.span.duration} histogram per span
 * name, and it is exported with its trace when the agent keeps the trace. Without the agent every
 * call is a no-op that allocates nothing. Thread-safe.
 */
public final class Tracing {
  private Tracing() {}

  /** Starts an {@link SpanKind#INTERNAL} span named {@code name}. */
  public static Span startSpan(String name) {
    return startSpan(name, SpanKind.INTERNAL);
  }

  /** Starts a span of {@code kind} named {@code name}, child of the current span if any. */
  public static Span startSpan(String name, SpanKind kind) {
    return AgentBridge.INSTANCE == null || name == null
        ? NoopSpan.INSTANCE
        : AgentBridge.INSTANCE.start(name, kind);
  }

  /** Whether the agent is attached and enabled (spans are recorded). */
  public static boolean isAgentActive() {
    return AgentBridge.INSTANCE != null;
  }
}
