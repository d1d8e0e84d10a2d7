package dev.sketchtrace.bootstrap;

/**
 * What the agent keeps per thread: the current span ({@link CurrentSpan}) and the re-entry depths
 * ({@link CallDepth}), in one object behind one {@link ThreadLocal}, so an advice pair pays one
 * thread-local lookup per enter and per exit instead of one per concern (and {@code attach} one
 * lookup instead of a get and a set). Application servers keep many thread-locals per worker
 * thread; each lookup that misses its slot probes further.
 *
 * <p>Confined to its thread: only the owning thread reads or writes its context. The object stays
 * attached to the thread for its lifetime (a few dozen bytes, bootstrap classes only, so no
 * application class loader is retained); the span reference is cleared whenever the outermost span
 * is restored.
 */
final class ThreadContext {
  static final int KINDS = 8;

  private static final ThreadLocal<ThreadContext> CONTEXT =
      new ThreadLocal<ThreadContext>() {
        @Override
        protected ThreadContext initialValue() {
          return new ThreadContext();
        }
      };

  SpanEvent current;
  final int[] depths = new int[KINDS];

  private ThreadContext() {}

  static ThreadContext get() {
    return CONTEXT.get();
  }
}
