package dev.sketchtrace.agent.fold;

import java.time.Duration;

/** The folder's limits and behaviour, resolved from configuration. Immutable. */
public final class FoldSettings {
  final Duration exportInterval;
  final boolean cumulative;
  final int maxSeriesPerMetric;
  final int maxMetrics;
  final int topK;
  final int maxBufferedSpans;
  final int maxSpansPerBatch;
  final boolean tracesEnabled;

  public FoldSettings(
      Duration exportInterval,
      boolean cumulative,
      int maxSeriesPerMetric,
      int maxMetrics,
      int topK,
      int maxBufferedSpans,
      int maxSpansPerBatch,
      boolean tracesEnabled) {
    this.exportInterval = exportInterval;
    this.cumulative = cumulative;
    this.maxSeriesPerMetric = maxSeriesPerMetric;
    this.maxMetrics = maxMetrics;
    this.topK = topK;
    this.maxBufferedSpans = maxBufferedSpans;
    this.maxSpansPerBatch = maxSpansPerBatch;
    this.tracesEnabled = tracesEnabled;
  }
}
