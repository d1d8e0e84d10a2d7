package dev.sketchtrace.bootstrap;

/**
 * Re-entry guard per thread and kind of operation, so that nested calls of one kind yield one span:
 * a connection pool's statement wrapping the driver's statement, a filter chain around a servlet, an
 * HTTP client built on another instrumented client.
 *
 * <p>Advice calls {@link #enter} on method enter and starts a span only when it returns 0 (the
 * outermost call); it calls {@link #exit} on method exit, always, whatever enter returned. The
 * counters live in one small {@code int[]} of the thread's {@link ThreadContext}; advice on a hot
 * path uses that context's own {@code enter}/{@code exit} to save the thread-local lookups.
 */
public final class CallDepth {
  public static final int SERVLET = 0;
  public static final int JDBC_STATEMENT = 1;
  public static final int JDBC_CONNECTION = 2;
  public static final int HTTP_CLIENT = 3;
  public static final int CUSTOM = 4;

  private CallDepth() {}

  /** Counts one more nesting level of {@code kind}; returns the depth before (0 = outermost). */
  public static int enter(int kind) {
    return ThreadContext.get().enter(kind);
  }

  /** Undoes one {@link #enter}; returns the depth after (0 = the outermost call just left). */
  public static int exit(int kind) {
    return ThreadContext.get().exit(kind);
  }
}
