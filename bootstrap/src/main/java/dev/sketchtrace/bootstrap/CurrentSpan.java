package dev.sketchtrace.bootstrap;

/**
 * The span that work on this thread belongs to: new spans started on the thread become its
 * children, and outgoing calls carry it in {@code traceparent}.
 *
 * <p>Advice brackets an operation with {@code SpanEvent previous = CurrentSpan.attach(span)} on
 * enter and {@code CurrentSpan.restore(previous)} on exit, keeping {@code previous} in an advice
 * local. Nothing is allocated: there is no scope object. The span lives in the thread's {@link
 * ThreadContext}, next to the {@link CallDepth} counters: one thread-local lookup per call (hot
 * advice keeps the context itself in a local and pays one per operation). Work handed to another
 * thread (an async servlet completing elsewhere) attaches the span there the same way.
 */
public final class CurrentSpan {
  private CurrentSpan() {}

  /** The current span on this thread, or null. */
  public static SpanEvent get() {
    return ThreadContext.get().current();
  }

  /** Makes {@code span} current and returns what was current before, for {@link #restore}. */
  public static SpanEvent attach(SpanEvent span) {
    return ThreadContext.get().attach(span);
  }

  /** Puts back what {@link #attach} returned. */
  public static void restore(SpanEvent previous) {
    ThreadContext.get().attach(previous);
  }
}
