package dev.sketchtrace.agent.fold;

import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.TopK;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything folded for one metric name: its series (bounded: past {@code maxSeries} new series
 * fold into one overflow series marked {@code otel.metric.overflow=true}, as the OpenTelemetry SDK
 * does) and, for a ranked metric, top-K by total time and by calls plus a HyperLogLog of distinct
 * ranking keys. Not thread-safe: folder thread only.
 */
final class MetricFold {
  static final String OVERFLOW_ATTRIBUTE = "otel.metric.overflow";
  /** The series that holds, at export, every series whose ranking key is outside the top-K. */
  static final String OTHER_ATTRIBUTE = "sketchtrace.series.other";
  private static final double TOPK_EPSILON = 0.001;
  private static final double TOPK_DELTA = 0.001;

  final String name;
  private final int maxSeries;
  private final int topK;
  private final Map<SeriesKey, Series> series = new HashMap<>();
  private Series overflow;
  private TopK byTime;
  private TopK byCalls;
  private HyperLogLog distinctKeys;

  MetricFold(String name, int maxSeries, int topK) {
    this.name = name;
    this.maxSeries = maxSeries;
    this.topK = topK;
  }

  /** The series for {@code probe}'s current content, created (copied) when new. */
  Series series(SeriesKey probe, String rankingKey, long nowEpochNanos) {
    Series s = series.get(probe);
    if (s != null) {
      return s;
    }
    if (series.size() >= maxSeries) {
      if (overflow == null) {
        SeriesKey key = new SeriesKey();
        key.put(OVERFLOW_ATTRIBUTE, true);
        overflow = new Series(key.copy(), null, nowEpochNanos);
      }
      return overflow;
    }
    SeriesKey key = probe.copy();
    s = new Series(key, rankingKey, nowEpochNanos);
    series.put(key, s);
    return s;
  }

  /** Ranks {@code rankingKey} by one more call of {@code nanos}. */
  void rank(String rankingKey, long nanos) {
    if (byTime == null) {
      byTime = TopK.create(TOPK_EPSILON, TOPK_DELTA, topK);
      byCalls = TopK.create(TOPK_EPSILON, TOPK_DELTA, topK);
      distinctKeys = HyperLogLog.create();
    }
    byTime.add(rankingKey, Math.max(nanos, 0L));
    byCalls.add(rankingKey, 1L);
    distinctKeys.addString(rankingKey);
  }

  boolean isRanked() {
    return byTime != null;
  }

  TopK byTime() {
    return byTime;
  }

  TopK byCalls() {
    return byCalls;
  }

  HyperLogLog distinctKeys() {
    return distinctKeys;
  }

  /** The ranking keys in the current top-K by time or by calls. */
  Set<String> topKeys() {
    Set<String> keys = new HashSet<>();
    if (byTime != null) {
      for (dev.sketchtrace.sketch.HeavyHitter h : byTime.top()) {
        keys.add(h.key());
      }
      for (dev.sketchtrace.sketch.HeavyHitter h : byCalls.top()) {
        keys.add(h.key());
      }
    }
    return keys;
  }

  Collection<Series> allSeries() {
    List<Series> all = new ArrayList<>(series.values());
    if (overflow != null) {
      all.add(overflow);
    }
    return all;
  }

  /** A fresh series to merge the un-ranked ("other") series into at export. */
  static Series newOtherSeries(long startEpochNanos) {
    SeriesKey key = new SeriesKey();
    key.put(OTHER_ATTRIBUTE, true);
    return new Series(key.copy(), null, startEpochNanos);
  }

  /** Ends a delta window: sketches and rankings start empty; series unused for a window go. */
  void resetWindow(long nowEpochNanos) {
    series.values().removeIf(s -> s.sketch.count() == 0);
    for (Series s : series.values()) {
      s.sketch.clear();
      s.errorCount = 0;
      s.startEpochNanos = nowEpochNanos;
    }
    if (overflow != null) {
      overflow.sketch.clear();
      overflow.errorCount = 0;
      overflow.startEpochNanos = nowEpochNanos;
    }
    if (byTime != null) {
      byTime.clear();
      byCalls.clear();
      distinctKeys.clear();
    }
  }
}
