package dev.sketchtrace.agent.fold;

import dev.sketchtrace.sketch.HeavyHitter;
import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.TopK;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
  /** Marks the series that hold, at export, the series whose ranking key is outside the top-K. */
  static final String OTHER_ATTRIBUTE = "sketchtrace.series.other";
  /**
   * The attributes a ranked series keeps when it is folded into "other": where it ran, not what it
   * ran. Of the ranked metrics' attributes these have the lowest cardinality (one value per
   * database the app talks to).
   */
  static final List<String> OTHER_GROUPING = List.of("db.system", "db.namespace");
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

  /**
   * Ranks one call of {@code nanos} made by an event of {@code series}. When the series is the one
   * of this ranking key (the usual case: the key is one of the series' attributes) the call is only
   * added to the series' window totals, which {@link #seriesToExport} ranks once per series. Ranking
   * every event hashed its key three times and touched 14 counters spread over the two count-min
   * tables (≈ 300 KB, which the application's threads keep evicting from the cache). A weighted add
   * keeps the count-min guarantee (never below the true total, at most ε·N above), and the
   * HyperLogLog needs each key only once.
   */
  void rank(Series series, String rankingKey, long nanos) {
    if (rankingKey.equals(series.rankingKey)) {
      series.addRankedCall(nanos);
    } else {
      rank(rankingKey, nanos); // the overflow series, or a series whose key differs
    }
  }

  /** Ranks {@code rankingKey} by one more call of {@code nanos}. */
  void rank(String rankingKey, long nanos) {
    rank(rankingKey, Math.max(nanos, 0L), 1L);
  }

  private void rank(String rankingKey, long totalNanos, long calls) {
    if (byTime == null) {
      byTime = TopK.create(TOPK_EPSILON, TOPK_DELTA, topK);
      byCalls = TopK.create(TOPK_EPSILON, TOPK_DELTA, topK);
      distinctKeys = HyperLogLog.create();
    }
    byTime.add(rankingKey, totalNanos);
    byCalls.add(rankingKey, calls);
    distinctKeys.addString(rankingKey);
  }

  /** Ranks the calls the series collected since the last time (see {@link #rank(Series, String, long)}). */
  private void rankCollectedCalls() {
    for (Series s : series.values()) {
      if (s.rankedCalls > 0) {
        rank(s.rankingKey, s.rankedNanos, s.rankedCalls);
        s.rankedCalls = 0;
        s.rankedNanos = 0;
      }
    }
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

  /** The ranking keys in the current top-K by time or by calls (empty when not ranked). */
  Set<String> topKeys() {
    Set<String> keys = new HashSet<>();
    if (byTime != null) {
      for (HeavyHitter h : byTime.top()) {
        keys.add(h.key());
      }
      for (HeavyHitter h : byCalls.top()) {
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

  /**
   * Closes the window of every series and returns those to export: each non-empty series that is
   * not ranked or whose ranking key is in the top-K, and the ranked ones outside the top-K merged
   * into "other" series — one per value of the {@link #OTHER_GROUPING} attributes, so a dashboard
   * still sees which database the long tail ran on. Their cardinality stays bounded: there are never
   * more "other" series than series.
   */
  List<Series> seriesToExport() {
    rankCollectedCalls();
    Set<String> top = topKeys();
    List<Series> out = new ArrayList<>();
    Map<SeriesKey, Series> others = new LinkedHashMap<>();
    for (Series s : allSeries()) {
      s.closeWindow();
      if (s.sketch.count() == 0) {
        continue;
      }
      if (s.rankingKey == null || top.contains(TopK.truncate(s.rankingKey))) {
        out.add(s);
        continue;
      }
      SeriesKey otherKey = otherKey(s.key);
      Series other = others.get(otherKey);
      if (other == null) {
        other = new Series(otherKey, null, s.startEpochNanos);
        others.put(otherKey, other);
      }
      other.sketch.merge(s.sketch);
      other.errorCount += s.errorCount;
      other.startEpochNanos = Math.min(other.startEpochNanos, s.startEpochNanos);
    }
    out.addAll(others.values());
    return out;
  }

  /** {@code sketchtrace.series.other=true} plus those of {@code key}'s attributes that group "other". */
  private static SeriesKey otherKey(SeriesKey key) {
    SeriesKey other = new SeriesKey();
    other.put(OTHER_ATTRIBUTE, true);
    for (String grouping : OTHER_GROUPING) {
      for (int i = 0; i < key.size(); i++) {
        if (key.key(i).equals(grouping) && key.type(i) == SeriesKey.STRING) {
          other.put(grouping, key.stringValue(i));
        }
      }
    }
    return other.copy();
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
