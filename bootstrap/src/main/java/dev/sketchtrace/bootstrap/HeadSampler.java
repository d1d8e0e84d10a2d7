package dev.sketchtrace.bootstrap;

/**
 * The head-sampling decision made when a trace starts in this JVM, following {@code
 * otel.traces.sampler}: {@code always_on}, {@code always_off}, {@code traceidratio} and their
 * {@code parentbased_*} forms (the default is {@code parentbased_always_on}).
 *
 * <p>The decision only chooses which traces are exported whole; every span is folded into metrics
 * regardless, and the folder also keeps error and slow traces. The ratio test compares the low 63
 * bits of the trace id with a threshold, as the OpenTelemetry ratio sampler does, so every process
 * that sees the same trace id with the same ratio decides alike.
 *
 * <p>Configured once by the agent before any instrumentation is installed; reads are plain volatile
 * loads.
 */
public final class HeadSampler {
  private static volatile long ratioThreshold = Long.MAX_VALUE;
  private static volatile boolean parentBased = true;

  private HeadSampler() {}

  /**
   * @param ratio the fraction of new traces to sample, in [0, 1]
   * @param followParent whether a remote parent's sampled flag decides for its children
   */
  public static void configure(double ratio, boolean followParent) {
    double bounded = Math.max(0.0, Math.min(1.0, ratio));
    ratioThreshold = bounded >= 1.0 ? Long.MAX_VALUE : (long) (bounded * Long.MAX_VALUE);
    parentBased = followParent;
  }

  static boolean sampleNewTrace(long traceIdLow) {
    long threshold = ratioThreshold;
    return threshold == Long.MAX_VALUE || (traceIdLow & Long.MAX_VALUE) < threshold;
  }

  static boolean sampleRemoteChild(long traceIdLow, boolean remoteSampled) {
    return parentBased ? remoteSampled : sampleNewTrace(traceIdLow);
  }
}
