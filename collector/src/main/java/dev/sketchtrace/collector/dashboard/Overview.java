package dev.sketchtrace.collector.dashboard;

import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the overview: every service with rate, error rate, p50 and p99 over the last five minutes
 * (exact merges of its routes' sketches) and 30 s-step sparklines of rate and p99 over the last 15
 * minutes. What the overview page shows and what {@link LiveFeed} pushes. Thread-safe.
 */
public final class Overview {
  static final long STEP_SECONDS = 30;
  static final int STEPS = 30;
  static final int SUMMARY_STEPS = 10;

  private final SeriesSketches sketches;
  private final Clock clock;

  public Overview(SeriesSketches sketches, Clock clock) {
    this.sketches = sketches;
    this.clock = clock;
  }

  public Map<String, Object> snapshot() {
    long nowMs = clock.millis();
    long now = nowMs / 1000;
    long from = (Math.floorDiv(now, STEP_SECONDS) + 1) * STEP_SECONDS - STEPS * STEP_SECONDS;
    Map<String, SeriesSketches.Steps> byService =
        sketches.read(SeriesSketches.SERVER_DURATION, s -> true, s -> s.identity().service(), from, STEP_SECONDS, STEPS);
    List<Map<String, Object>> services = new ArrayList<>();
    long summaryFrom = from + (STEPS - SUMMARY_STEPS) * STEP_SECONDS;
    double summarySeconds = Math.max(1, nowMs / 1000.0 - summaryFrom);
    for (String service : sketches.services()) {
      SeriesSketches.Steps st = byService.get(service);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", service);
      QuantileSketch summary = null;
      long errors = 0;
      double[] rate = new double[STEPS];
      double[] p99 = new double[STEPS];
      for (int i = 0; i < STEPS; i++) {
        QuantileSketch q = st == null ? null : st.latency[i];
        double stepSeconds = i == STEPS - 1 ? Math.max(1, nowMs / 1000.0 - (from + i * STEP_SECONDS)) : STEP_SECONDS;
        rate[i] = q == null ? 0 : q.count() / stepSeconds;
        p99[i] = q == null || q.count() == 0 ? Double.NaN : q.quantile(0.99);
        if (i >= STEPS - SUMMARY_STEPS && q != null) {
          if (summary == null) summary = q.copy();
          else summary.merge(q);
          errors += st.errors[i];
        }
      }
      long count = summary == null ? 0 : summary.count();
      m.put("count", count);
      m.put("rate", count / summarySeconds);
      m.put("errorRate", count == 0 ? Double.NaN : (double) errors / count);
      m.put("p50", count == 0 ? Double.NaN : summary.quantile(0.5));
      m.put("p99", count == 0 ? Double.NaN : summary.quantile(0.99));
      m.put("sparkRate", boxed(rate));
      m.put("sparkP99", boxed(p99));
      services.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at", nowMs);
    out.put("window", "5m");
    out.put("sparkStepSeconds", STEP_SECONDS);
    out.put("sparkFrom", from * 1000);
    out.put("services", services);
    return out;
  }

  private static List<Double> boxed(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double d : a) l.add(d);
    return l;
  }
}
