package dev.sketchtrace.agent.export;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;

/**
 * What one export window produced: metric points, kept spans (already
 * encoded), and the sketch bytes for {@code POST
 * /v1/sketches}. Immutable once handed to the {@link ExportLoop}, except the loop's attempt count.
 */
public final class ExportBatch {
  final List<MetricData> metrics;
  final EncodedSpans spans;
  final List<SketchEntry> sketches;
  final long intervalStartEpochNanos;
  final long epochNanos;
  /** Failed sends so far, and which parts are delivered; touched only by the export thread. */
  int attempts;
  boolean metricsSent;
  boolean spansSent;
  boolean sketchesSent;
  /** The longest delay a server asked for before the next attempt, or -1. */
  long retryDelayMillis = -1;

  public ExportBatch(
      List<MetricData> metrics,
      EncodedSpans spans,
      List<SketchEntry> sketches,
      long intervalStartEpochNanos,
      long epochNanos) {
    this.metrics = metrics;
    this.spans = spans;
    this.sketches = sketches;
    this.intervalStartEpochNanos = intervalStartEpochNanos;
    this.epochNanos = epochNanos;
  }

  public List<MetricData> metrics() {
    return metrics;
  }

  public EncodedSpans spans() {
    return spans;
  }

  public List<SketchEntry> sketches() {
    return sketches;
  }

  public boolean isEmpty() {
    return metrics.isEmpty() && spans.isEmpty() && sketches.isEmpty();
  }

  /** One sketch for {@code /v1/sketches}: kind is topk_time, topk_calls, hll or quantile. */
  public static final class SketchEntry {
    final String metric;
    final String kind;
    final java.util.Map<String, String> attributes;
    final byte[] data;

    public SketchEntry(String metric, String kind, java.util.Map<String, String> attributes, byte[] data) {
      this.metric = metric;
      this.kind = kind;
      this.attributes = attributes;
      this.data = data;
    }

    public String kind() {
      return kind;
    }
  }
}
