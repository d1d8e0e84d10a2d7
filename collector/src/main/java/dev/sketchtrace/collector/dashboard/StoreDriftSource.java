package dev.sketchtrace.collector.dashboard;

import dev.sketchtrace.collector.drift.DimensionSeries;
import dev.sketchtrace.collector.drift.DriftSource;
import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drift's {@link DriftSource} over the collector's store: every route (server duration by
 * {@code METHOD route}) and every database operation (client duration by {@code operation collection})
 * of every service, per step. Thread-safe.
 */
public final class StoreDriftSource implements DriftSource {
  private static final char SEP = '\u0000';
  private final SeriesSketches sketches;

  public StoreDriftSource(SeriesSketches sketches) {
    this.sketches = sketches;
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
