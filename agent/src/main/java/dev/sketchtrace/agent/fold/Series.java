package dev.sketchtrace.agent.fold;

import dev.sketchtrace.sketch.QuantileSketch;

/**
 * One metric series: the durations (seconds) of its events in a {@link QuantileSketch}, with
 * counts of events and errors, for the current export window; plus the p99 of the previous window,
 * which the trace sampler uses to keep slow traces. Not thread-safe: folder thread only.
 */
final class Series {
  /** The fewest events a window needs before its p99 is trusted as a slowness threshold. */
  static final long MIN_COUNT_FOR_P99 = 20;

  final SeriesKey key;
  /** The ranking key of the series' events (e.g. a SQL fingerprint), or null when not ranked. */
  final String rankingKey;
  final QuantileSketch sketch = QuantileSketch.forLatencies();
  long errorCount;
  /** Calls ranked under {@link #rankingKey} and their total nanos, not yet added to the top-K. */
  long rankedCalls;
  long rankedNanos;
  /** The key as OpenTelemetry attributes, made at the first export of the series. */
  io.opentelemetry.api.common.Attributes attributes;
  /** Start of the window this series' data covers, epoch nanos (cumulative: the first event's). */
  long startEpochNanos;
  private double slowThresholdSeconds = Double.POSITIVE_INFINITY;

  Series(SeriesKey key, String rankingKey, long startEpochNanos) {
    this.key = key;
    this.rankingKey = rankingKey;
    this.startEpochNanos = startEpochNanos;
  }

  void record(double seconds, boolean error) {
    sketch.add(seconds);
    if (error) {
      errorCount++;
    }
  }

  /** One call ranked under this series' own ranking key; {@link MetricFold} ranks the totals. */
  void addRankedCall(long nanos) {
    rankedCalls++;
    rankedNanos += Math.max(nanos, 0L);
  }

  /** Whether an event of this duration is slower than the previous window's p99. */
  boolean isSlow(double seconds) {
    return seconds > slowThresholdSeconds;
  }

  /** Called at the end of a window: the p99 of this window becomes the next one's threshold. */
  void closeWindow() {
    long count = sketch.count();
    if (count >= MIN_COUNT_FOR_P99) {
      slowThresholdSeconds = sketch.quantile(0.99);
    }
  }
}
