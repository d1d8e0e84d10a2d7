package dev.sketchtrace.bootstrap;

/**
 * What the agent keeps per thread: the current span ({@link CurrentSpan}) and the re-entry depths
 * ({@link CallDepth}), in one object behind one {@link ThreadLocal}. Application servers keep many
 * thread-locals per worker thread, and each lookup that misses its slot probes further, so:
 *
 * <ul>
 *   <li>the static helpers {@link CallDepth} and {@link CurrentSpan} pay one lookup per call;
 *   <li>hot advice pays one per operation: it calls {@link #get()} once on enter, keeps the context
 *       in an advice local and uses the instance methods on enter and exit alike. An advice pair
 *       that enters a depth, reads the current span, attaches its own, and on exit leaves the depth
 *       and puts the previous span back would otherwise look the thread-local up five times.
 * </ul>
 *
 * <p>Confined to its thread: only the owning thread reads or writes its context, and an advice local
 * never leaves the method it was taken in. The object stays attached to the thread for its lifetime
 * (a few dozen bytes, bootstrap classes only, so no application class loader is retained).
 */
public final class ThreadContext {
  static final int KINDS = 8;

  private static final ThreadLocal<ThreadContext> CONTEXT =
      new ThreadLocal<ThreadContext>() {
        @Override
        protected ThreadContext initialValue() {
          return new ThreadContext();
        }
      };

  private SpanEvent current;
  private final int[] depths = new int[KINDS];

  private ThreadContext() {}

  /** The calling thread's context. */
  public static ThreadContext get() {
    return CONTEXT.get();
  }

  /** The current span on this thread, or null. */
  public SpanEvent current() {
    return current;
  }

  /**
   * Makes {@code span} current and returns what was current before. Put that back with another
   * {@code attach}: setting null keeps the thread-local entry, so the next operation's lookup finds
   * it rather than allocating a new one.
   */
  public SpanEvent attach(SpanEvent span) {
    SpanEvent previous = current;
    current = span;
    return previous;
  }

  /** Counts one more nesting level of {@code kind} ({@link CallDepth}); returns the depth before. */
  public int enter(int kind) {
    return depths[kind]++;
  }

  /** The current nesting level of {@code kind}: 0 when no call of that kind is running. */
  public int depth(int kind) {
    return depths[kind];
  }

  /** Undoes one {@link #enter}; returns the depth after (0 = the outermost call just left). */
  public int exit(int kind) {
    // Never below zero: a transformation applied mid-call must not unbalance later calls.
    int depth = Math.max(depths[kind] - 1, 0);
    depths[kind] = depth;
    return depth;
  }
}
