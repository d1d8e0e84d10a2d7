package dev.sketchtrace.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The head-sampling decision made when a trace starts in this JVM, following {@code
 * otel.traces.sampler}: {@code always_on}, {@code always_off}, {@code traceidratio} and their
 * {@code parentbased_*} forms (the default is {@code parentbased_always_on}), capped by a budget of
 * new traces per second ({@code sketchtrace.traces.max-per-second}).
 *
 * <p>The decision only chooses which traces are exported whole; every span is folded into metrics
 * regardless, and the folder also keeps error and slow traces. The ratio test compares the low 63
 * bits of the trace id with a threshold, as the OpenTelemetry ratio sampler does, so every process
 * that sees the same trace id with the same ratio decides alike.
 *
 * <p>The budget applies to the traces this JVM decides about: new traces, and remote children when
 * the sampler is not parent-based. With {@code parentbased_*} a remote parent's sampled flag alone
 * decides (and uses no budget), so a trace another service kept is kept here too and a trace is
 * exported whole across services or not at all — instead of being cut by the export cap in one of
 * them. The budget counts per second of {@link System#nanoTime()}: the first {@code max} traces
 * that pass the ratio in a second are sampled, the rest of that second are not.
 *
 * <p>Configured once by the agent before any instrumentation is installed. Thread-safe and
 * lock-free: the app thread pays one volatile read per decision, plus for a new trace under a
 * budget at most a few CAS attempts (none once the second's budget is spent); the clock reading it
 * needs is the span's own start time, never a read of its own.
 */
public final class HeadSampler {
  /** Bits of the budget state holding the count of the current second; the rest hold the second. */
  private static final int COUNT_BITS = 24;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  /** The largest budget the state can count; larger settings mean no budget. */
  public static final int MAX_BUDGET = (int) COUNT_MASK;

  private static final VarHandle BUDGET_STATE;

  static {
    try {
      BUDGET_STATE =
          MethodHandles.lookup().findStaticVarHandle(HeadSampler.class, "budgetState", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static volatile long ratioThreshold = Long.MAX_VALUE;
  private static volatile boolean parentBased = true;
  /** New traces sampled per second at most; 0 for no budget. */
  private static volatile int maxPerSecond;
  /** The {@code nanoTime} the budget's seconds count from: set by {@link #configure}. */
  private static volatile long budgetOrigin = System.nanoTime();
  /**
   * {@code second << COUNT_BITS | traces sampled so far in that second}, the second counted from
   * {@link #budgetOrigin}; written by CAS only.
   */
  @SuppressWarnings("unused") // accessed through BUDGET_STATE
  private static volatile long budgetState;

  private HeadSampler() {}

  /** Ratio and parent rule without a budget of traces per second. */
  public static void configure(double ratio, boolean followParent) {
    configure(ratio, followParent, 0);
  }

  /**
   * @param ratio the fraction of new traces to sample, in [0, 1]
   * @param followParent whether a remote parent's sampled flag decides for its children
   * @param maxNewTracesPerSecond the most traces this JVM starts sampled per second; 0 (or more
   *     than {@link #MAX_BUDGET}) for no budget
   */
  public static void configure(double ratio, boolean followParent, int maxNewTracesPerSecond) {
    double bounded = Math.max(0.0, Math.min(1.0, ratio));
    ratioThreshold = bounded >= 1.0 ? Long.MAX_VALUE : (long) (bounded * Long.MAX_VALUE);
    parentBased = followParent;
    budgetOrigin = System.nanoTime();
    budgetState = 0L;
    maxPerSecond = maxNewTracesPerSecond > MAX_BUDGET ? 0 : Math.max(0, maxNewTracesPerSecond);
  }

  /**
   * @param nowNanoTime the span's own start time ({@link System#nanoTime()}): the budget reuses
   *     the clock reading the span makes anyway instead of reading the clock again
   */
  static boolean sampleNewTrace(long traceIdLow, long nowNanoTime) {
    if (!passesRatio(traceIdLow)) {
      return false;
    }
    int max = maxPerSecond;
    return max == 0 || withinBudget(max, nowNanoTime - budgetOrigin);
  }

  static boolean sampleRemoteChild(long traceIdLow, boolean remoteSampled, long nowNanoTime) {
    return parentBased ? remoteSampled : sampleNewTrace(traceIdLow, nowNanoTime);
  }

  private static boolean passesRatio(long traceIdLow) {
    long threshold = ratioThreshold;
    return threshold == Long.MAX_VALUE || (traceIdLow & Long.MAX_VALUE) < threshold;
  }

  /**
   * Takes one trace from the budget of the second {@code elapsedNanos} (since {@link
   * #budgetOrigin}) falls in; false when that second's budget is spent. A thread whose clock
   * reading is older than the state's second counts against the newer second. Package-private so
   * tests can drive it with their own clock.
   */
  static boolean withinBudget(int max, long elapsedNanos) {
    long second = Math.max(0L, elapsedNanos) / 1_000_000_000L;
    while (true) {
      long state = (long) BUDGET_STATE.getVolatile();
      long next;
      if (second > state >>> COUNT_BITS) {
        next = second << COUNT_BITS | 1L;
      } else if ((state & COUNT_MASK) >= max) {
        return false;
      } else {
        next = state + 1;
      }
      if (BUDGET_STATE.compareAndSet(state, next)) {
        return true;
      }
    }
  }
}
