package dev.sketchtrace.collector.dashboard;

import dev.sketchtrace.collector.drift.DimensionSeries;
import dev.sketchtrace.collector.drift.DriftSource;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.query.TimeRange;
import dev.sketchtrace.collector.query.TopEntry;
import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drift's {@link DriftSource} over the collector's store: every route (server duration by
 * {@code METHOD route}) and every database operation (client duration by {@code operation collection})
 * of every service, per step; and every SQL statement's calls and time per window from the top-SQL
 * sketches. Thread-safe.
 */
public final class StoreDriftSource implements DriftSource {
  private static final char SEP = '\u0000';
  /** Statements per service compared at most: the heaviest by time in either window. */
  static final int STATEMENTS_PER_SERVICE = 50;

  private final SeriesSketches sketches;
  private final QueryService query;

  public StoreDriftSource(SeriesSketches sketches, QueryService query) {
    this.sketches = sketches;
    this.query = query;
  }

  @Override
  public List<StatementWindows> statements(Instant previousFrom, Instant currentFrom, Instant currentTo) {
    TimeRange prev = new TimeRange(previousFrom.getEpochSecond(), currentFrom.getEpochSecond());
    TimeRange cur = new TimeRange(currentFrom.getEpochSecond(), currentTo.getEpochSecond());
    List<StatementWindows> out = new ArrayList<>();
    for (String service : sketches.services()) {
      Map<String, long[]> s = new java.util.TreeMap<>(); // statement -> prev calls, prev nanos, cur calls, cur nanos
      fill(s, query.top(service, SeriesSketches.DB_DURATION, false, prev, STATEMENTS_PER_SERVICE), 0);
      fill(s, query.top(service, SeriesSketches.DB_DURATION, true, prev, STATEMENTS_PER_SERVICE), 1);
      fill(s, query.top(service, SeriesSketches.DB_DURATION, false, cur, STATEMENTS_PER_SERVICE), 2);
      fill(s, query.top(service, SeriesSketches.DB_DURATION, true, cur, STATEMENTS_PER_SERVICE), 3);
      s.forEach((sql, v) -> out.add(new StatementWindows(service, sql, v[0], v[1], v[2], v[3])));
    }
    return out;
  }

  private static void fill(Map<String, long[]> into, List<TopEntry> top, int slot) {
    for (TopEntry e : top) into.computeIfAbsent(e.key(), k -> new long[4])[slot] = e.estimate();
  }

  @Override
  public List<DimensionSeries> load(Instant from, Duration step, int steps) {
    List<DimensionSeries> out = new ArrayList<>();
    add(out, "route", SeriesSketches.SERVER_DURATION, from, step, steps);
    add(out, "db", SeriesSketches.DB_DURATION, from, step, steps);
    return out;
  }

  private void add(List<DimensionSeries> out, String kind, String metric, Instant from, Duration step, int steps) {
    Map<String, SeriesSketches.Steps> groups =
        sketches.read(
            metric, s -> true,
            s -> {
              String name = kind.equals("route") ? SeriesSketches.routeOf(s) : SeriesSketches.dbOperationOf(s);
              return name == null ? null : s.identity().service() + SEP + name;
            },
            from.getEpochSecond(), step.getSeconds(), steps);
    for (Map.Entry<String, SeriesSketches.Steps> e : groups.entrySet()) {
      int cut = e.getKey().indexOf(SEP);
      SeriesSketches.Steps st = e.getValue();
      QuantileSketch shape = null;
      for (QuantileSketch q : st.latency) if (q != null && shape == null) shape = q;
      List<QuantileSketch> lat = new ArrayList<>(steps);
      for (QuantileSketch q : st.latency) {
        lat.add(q != null ? q : QuantileSketch.create(shape.scale(), shape.maxBucketsPerSign(), shape.zeroThreshold()));
      }
      out.add(new DimensionSeries(kind, e.getKey().substring(0, cut), e.getKey().substring(cut + 1), lat, st.errors));
    }
  }
}
