package dev.sketchtrace.collector.drift;

import dev.sketchtrace.sketch.Correlation;
import dev.sketchtrace.sketch.DimensionDrift;
import dev.sketchtrace.sketch.Drift;
import dev.sketchtrace.sketch.DriftThresholds;
import dev.sketchtrace.sketch.QuantileSketch;
import dev.sketchtrace.sketch.SlidingWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the current window of every service, route, database operation and SQL statement with
 * the window before it, using sketch-engine's {@link Drift} for the latency distributions (relative
 * change of p50, p99 and mean; KS distance; PSI; verdict; correlations of per-step means) and adding
 * request rate and error rate, then ranks the dimensions by how much they moved. Statements have no
 * latency sketch of their own, so they are compared by call rate and mean time per call from the
 * top-SQL sketches.
 *
 * <p>Each dimension's steps are replayed into a {@link SlidingWindow} (previous window = first half,
 * current = second half), so the comparison is exactly the one sketch-engine defines; the sketches
 * merge exactly, so p99 over a window is the true p99 within the sketch's relative error.
 *
 * <p>Stateless apart from its collaborators; thread-safe if the source is.
 */
public final class DriftAnalyzer {
  /** Steps per window: enough points for a correlation, few enough to stay on a coarse tier. */
  static final int STEPS_PER_WINDOW = 10;
  static final double INFINITE_CHANGE = 10;

  private final DriftSource source;
  private final Clock clock;
  private final DriftThresholds thresholds;

  public DriftAnalyzer(DriftSource source, Clock clock, DriftThresholds thresholds) {
    this.source = source;
    this.clock = clock;
    this.thresholds = thresholds;
  }

  /** The step a window is cut into: window / 10, at least 10 s (the finest tier), a whole number of seconds. */
  public static Duration stepFor(Duration window) {
    long seconds = Math.max(10, window.getSeconds() / STEPS_PER_WINDOW);
    seconds = (seconds + 9) / 10 * 10; // a multiple of the 10 s tier
    return Duration.ofSeconds(seconds);
  }

  /**
   * @param window the length of the current window (the previous one is as long and ends where it
   *     starts); at least 20 s
   */
  public DriftReport analyze(Duration window) {
    if (window.getSeconds() < 20) throw new IllegalArgumentException("window must be at least 20s");
    Duration step = stepFor(window);
    int n = (int) Math.max(2, window.getSeconds() / step.getSeconds());
    long stepMs = step.toMillis();
    // whole steps only: the step in progress is left out, or its partial count would read as a rate drop
    long end = Math.floorDiv(clock.millis(), stepMs) * stepMs;
    long start = end - 2L * n * stepMs;
    List<DimensionSeries> all = new ArrayList<>(source.load(Instant.ofEpochMilli(start), step, 2 * n));
    all.addAll(serviceTotals(all));

    Map<String, SlidingWindow<QuantileSketch>> windows = new TreeMap<>();
    Map<String, DimensionSeries> byKey = new HashMap<>();
    Map<String, double[]> rateSeries = new TreeMap<>();
    for (DimensionSeries d : all) {
      if (d.latency().size() != 2 * n) continue; // a source that ignored the step count: not comparable
      SlidingWindow<QuantileSketch> w = replay(d, stepMs, n, start);
      if (w == null) continue;
      windows.put(d.key(), w);
      byKey.put(d.key(), d);
      double[] counts = new double[2 * n];
      for (int i = 0; i < counts.length; i++) counts[i] = d.latency().get(i).count();
      rateSeries.put(d.key(), counts);
    }
    Drift drift = Drift.analyze(windows, thresholds);
    List<DriftReport.CoMovement> co = new ArrayList<>();
    for (Correlation c : drift.correlations()) {
      if (!partOf(byKey, c)) co.add(new DriftReport.CoMovement(c.first(), c.second(), "latency", c.coefficient(), c.points()));
    }
    for (Correlation c : Drift.correlate(rateSeries, thresholds.minCorrelation())) {
      if (!partOf(byKey, c)) co.add(new DriftReport.CoMovement(c.first(), c.second(), "rate", c.coefficient(), c.points()));
    }
    co.sort(Comparator.comparingDouble((DriftReport.CoMovement c) -> -Math.abs(c.coefficient())));
    Map<String, TreeSet<String>> partners = new HashMap<>();
    for (DriftReport.CoMovement c : co) {
      partners.computeIfAbsent(c.first(), k -> new TreeSet<>()).add(c.second());
      partners.computeIfAbsent(c.second(), k -> new TreeSet<>()).add(c.first());
    }

    double windowSeconds = n * stepMs / 1000.0;
    List<DriftItem> items = new ArrayList<>();
    for (DimensionDrift dd : drift.dimensions()) {
      DimensionSeries d = byKey.get(dd.name());
      SlidingWindow<QuantileSketch> w = windows.get(dd.name());
      QuantileSketch prev = w.previous();
      QuantileSketch cur = w.current();
      long errPrev = 0;
      long errCur = 0;
      for (int i = 0; i < n; i++) errPrev += d.errors()[i];
      for (int i = n; i < 2 * n; i++) errCur += d.errors()[i];
      double ratePrev = prev.count() / windowSeconds;
      double rateCur = cur.count() / windowSeconds;
      double rateChange = relative(rateCur, ratePrev);
      double erPrev = prev.count() == 0 ? Double.NaN : (double) errPrev / prev.count();
      double erCur = cur.count() == 0 ? Double.NaN : (double) errCur / cur.count();
      double erChange = erCur - erPrev;
      List<String> reasons = new ArrayList<>(dd.reasons());
      String verdict = dd.verdict().name();
      boolean enough = prev.count() >= thresholds.minCount() || cur.count() >= thresholds.minCount();
      if (enough && Math.abs(rateChange) > thresholds.relativeChange()) {
        reasons.add(String.format(Locale.ROOT, "rate %s", pct(rateChange)));
        verdict = DimensionDrift.Verdict.CHANGED.name();
      }
      if (enough && Double.isFinite(erChange) && Math.abs(erChange) >= 0.01) {
        reasons.add(String.format(Locale.ROOT, "error rate %+.1f points", 100 * erChange));
        verdict = DimensionDrift.Verdict.CHANGED.name();
      }
      double score =
          dd.verdict() == DimensionDrift.Verdict.INSUFFICIENT_DATA && !verdict.equals("CHANGED")
              ? 0
              : max(dd.p50Change(), dd.p99Change(), rateChange, 10 * erChange);
      items.add(
          new DriftItem(
              dd.name(), d.kind(), d.service(), d.name(),
              prev.isEmpty() ? Double.NaN : prev.quantile(0.5), cur.isEmpty() ? Double.NaN : cur.quantile(0.5), dd.p50Change(),
              prev.isEmpty() ? Double.NaN : prev.quantile(0.99), cur.isEmpty() ? Double.NaN : cur.quantile(0.99), dd.p99Change(),
              dd.meanChange(),
              ratePrev, rateCur, rateChange, erPrev, erCur, erChange, dd.ksDistance(), dd.psi(), verdict,
              reasons, score, List.copyOf(partners.getOrDefault(dd.name(), new TreeSet<>()))));
    }
    for (DriftSource.StatementWindows s :
        source.statements(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + n * stepMs), Instant.ofEpochMilli(end))) {
      items.add(statement(s, windowSeconds));
    }
    Comparator<DriftItem> ranking =
        Comparator.comparing((DriftItem i) -> i.verdict().equals("INSUFFICIENT_DATA"))
            .thenComparing(Comparator.comparingDouble(DriftItem::score).reversed())
            .thenComparing(DriftItem::key);
    List<DriftItem> services = new ArrayList<>();
    items.removeIf(i -> i.kind().equals("service") && services.add(i));
    items.sort(ranking);
    services.sort(ranking);
    return new DriftReport(start, start + n * stepMs, end, stepMs, items, services, co, DriftReport.CAVEAT);
  }

  /**
   * True when one side is a service total and the other one of its own routes or operations: they
   * move together by construction, which is not worth reporting.
   */
  private static boolean partOf(Map<String, DimensionSeries> byKey, Correlation c) {
    DimensionSeries a = byKey.get(c.first());
    DimensionSeries b = byKey.get(c.second());
    if (a == null || b == null || !a.service().equals(b.service())) return false;
    return a.kind().equals("service") != b.kind().equals("service");
  }

  /** A statement compared by call rate and mean time per call (it has no latency sketch of its own). */
  private DriftItem statement(DriftSource.StatementWindows s, double windowSeconds) {
    double ratePrev = s.previousCalls() / windowSeconds;
    double rateCur = s.currentCalls() / windowSeconds;
    double meanPrev = s.previousCalls() == 0 ? Double.NaN : s.previousNanos() / 1e9 / s.previousCalls();
    double meanCur = s.currentCalls() == 0 ? Double.NaN : s.currentNanos() / 1e9 / s.currentCalls();
    double rateChange = relative(rateCur, ratePrev);
    double meanChange = relative(meanCur, meanPrev);
    List<String> reasons = new ArrayList<>();
    String verdict;
    if (s.previousCalls() < thresholds.minCount() && s.currentCalls() < thresholds.minCount()) {
      verdict = DimensionDrift.Verdict.INSUFFICIENT_DATA.name();
    } else {
      if (Math.abs(rateChange) > thresholds.relativeChange()) reasons.add("calls " + pct(rateChange));
      if (Double.isFinite(meanChange) && Math.abs(meanChange) > thresholds.relativeChange()) {
        reasons.add("mean time " + pct(meanChange));
      }
      verdict = reasons.isEmpty() ? DimensionDrift.Verdict.STABLE.name() : DimensionDrift.Verdict.CHANGED.name();
    }
    double score = verdict.equals("INSUFFICIENT_DATA") ? 0 : max(rateChange, meanChange);
    return new DriftItem(
        "statement " + s.service() + " " + s.statement(), "statement", s.service(), s.statement(),
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, meanChange,
        ratePrev, rateCur, rateChange, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, verdict,
        reasons, score, List.of());
  }

  /** One extra dimension per service: the merge of its routes (the service as a whole). */
  private static List<DimensionSeries> serviceTotals(List<DimensionSeries> all) {
    Map<String, List<DimensionSeries>> routesByService = new LinkedHashMap<>();
    for (DimensionSeries d : all) {
      if (d.kind().equals("route")) routesByService.computeIfAbsent(d.service(), k -> new ArrayList<>()).add(d);
    }
    List<DimensionSeries> out = new ArrayList<>();
    for (Map.Entry<String, List<DimensionSeries>> e : routesByService.entrySet()) {
      List<DimensionSeries> routes = e.getValue();
      int steps = routes.get(0).latency().size();
      List<QuantileSketch> merged = new ArrayList<>();
      long[] errors = new long[steps];
      boolean ok = true;
      for (int i = 0; i < steps && ok; i++) {
        QuantileSketch acc = null;
        for (DimensionSeries r : routes) {
          if (r.latency().size() != steps) {
            ok = false;
            break;
          }
          QuantileSketch s = r.latency().get(i);
          try {
            if (acc == null) acc = s.copy();
            else acc.merge(s);
          } catch (IllegalArgumentException mismatch) {
            ok = false; // sketches with different zero thresholds cannot merge exactly: leave the total out
            break;
          }
          errors[i] += r.errors()[i];
        }
        merged.add(acc);
      }
      if (ok) out.add(new DimensionSeries("service", e.getKey(), e.getKey(), merged, errors));
    }
    return out;
  }

  /** The steps replayed into a window of {@code n} slots; null when the sketches cannot merge. */
  private static SlidingWindow<QuantileSketch> replay(DimensionSeries d, long stepMs, int n, long start) {
    QuantileSketch template = null;
    for (QuantileSketch s : d.latency()) {
      if (!s.isEmpty()) {
        template = s;
        break;
      }
    }
    if (template == null) return null;
    QuantileSketch shape = template;
    long[] now = {start};
    SlidingWindow<QuantileSketch> w =
        SlidingWindow.of(
            Duration.ofMillis(stepMs * n), n,
            () -> QuantileSketch.create(shape.scale(), shape.maxBucketsPerSign(), shape.zeroThreshold()),
            () -> now[0]);
    try {
      for (int i = 0; i < d.latency().size(); i++) {
        now[0] = start + i * stepMs;
        QuantileSketch s = d.latency().get(i);
        if (!s.isEmpty()) w.live().merge(s);
      }
    } catch (IllegalArgumentException mismatch) {
      return null;
    }
    return w;
  }

  static double relative(double current, double previous) {
    if (Double.isNaN(current) || Double.isNaN(previous)) return Double.NaN;
    if (previous == 0) return current == 0 ? 0 : Double.POSITIVE_INFINITY;
    return (current - previous) / Math.abs(previous);
  }

  private static double max(double... changes) {
    double m = 0;
    for (double c : changes) {
      if (Double.isNaN(c)) continue;
      m = Math.max(m, Double.isInfinite(c) ? INFINITE_CHANGE : Math.min(INFINITE_CHANGE, Math.abs(c)));
    }
    return m;
  }

  private static String pct(double change) {
    if (Double.isInfinite(change)) return "new";
    return String.format(Locale.ROOT, "%+.1f%%", 100 * change);
  }
}
