package dev.sketchtrace.sketch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Immutable: a drift report over named dimensions (routes, queries, ...), each kept as a
 * {@link SlidingWindow} of quantile sketches, comparing the current window with the previous one.
 *
 * <p>Per dimension ({@link DimensionDrift}): relative change of p50, p99 and mean; the
 * Kolmogorov–Smirnov distance and the population stability index, both computed from the bucket
 * histograms (brought to a common scale first, so they are exact functions of the buckets); and a
 * verdict by {@link DriftThresholds}. Across dimensions ({@link #correlations()}): pairs whose
 * per-bucket mean series, over both windows, have a Pearson correlation of at least the threshold
 * in absolute value, strongest first.
 */
public final class Drift {
  private static final int PSI_BINS = 10;
  private static final double PSI_FLOOR = 1e-4;

  private final Map<String, DimensionDrift> dimensions;
  private final List<Correlation> correlations;

  private Drift(Map<String, DimensionDrift> dimensions, List<Correlation> correlations) {
    this.dimensions = Collections.unmodifiableMap(dimensions);
    this.correlations = List.copyOf(correlations);
  }

  /** Compares each window's {@code current()} with its {@code previous()} and correlates their series. */
  public static Drift analyze(Map<String, SlidingWindow<QuantileSketch>> windows, DriftThresholds thresholds) {
    Map<String, DimensionDrift> out = new LinkedHashMap<>();
    Map<String, double[]> series = new TreeMap<>();
    for (Map.Entry<String, SlidingWindow<QuantileSketch>> e : new TreeMap<>(windows).entrySet()) {
      SlidingWindow<QuantileSketch> w = e.getValue();
      out.put(e.getKey(), compare(e.getKey(), w.current(), w.previous(), thresholds));
      List<QuantileSketch> buckets = w.bucketSeries();
      double[] means = new double[buckets.size()];
      for (int i = 0; i < means.length; i++) {
        means[i] = buckets.get(i).mean();
      }
      series.put(e.getKey(), means);
    }
    return new Drift(out, correlate(series, thresholds.minCorrelation()));
  }

  /** Per-dimension results, by name. */
  public List<DimensionDrift> dimensions() {
    return new ArrayList<>(dimensions.values());
  }

  /** The result for {@code name}, or null if there is no such dimension. */
  public DimensionDrift dimension(String name) {
    return dimensions.get(name);
  }

  /** Dimensions whose verdict is CHANGED. */
  public List<DimensionDrift> changed() {
    List<DimensionDrift> out = new ArrayList<>();
    for (DimensionDrift d : dimensions.values()) {
      if (d.changed()) {
        out.add(d);
      }
    }
    return out;
  }

  /** Pairs of dimensions whose series moved together (or against each other), strongest first. */
  public List<Correlation> correlations() {
    return correlations;
  }

  /** Compares two sketches of one dimension. */
  public static DimensionDrift compare(String name, QuantileSketch current, QuantileSketch previous,
      DriftThresholds thresholds) {
    double p50 = relativeChange(current.quantile(0.5), previous.quantile(0.5));
    double p99 = relativeChange(current.quantile(0.99), previous.quantile(0.99));
    double mean = relativeChange(current.mean(), previous.mean());
    double ks = ksDistance(current, previous);
    double psi = populationStabilityIndex(previous, current);
    List<String> reasons = new ArrayList<>();
    DimensionDrift.Verdict verdict;
    if (current.count() < thresholds.minCount() || previous.count() < thresholds.minCount()) {
      verdict = DimensionDrift.Verdict.INSUFFICIENT_DATA;
    } else {
      over(reasons, "p50", p50, thresholds.relativeChange(), true);
      over(reasons, "p99", p99, thresholds.relativeChange(), true);
      over(reasons, "mean", mean, thresholds.relativeChange(), true);
      over(reasons, "KS", ks, thresholds.ksDistance(), false);
      over(reasons, "PSI", psi, thresholds.psi(), false);
      verdict = reasons.isEmpty() ? DimensionDrift.Verdict.STABLE : DimensionDrift.Verdict.CHANGED;
    }
    return new DimensionDrift(name, previous.count(), current.count(), p50, p99, mean, ks, psi, verdict, reasons);
  }

  private static void over(List<String> reasons, String what, double value, double limit, boolean relative) {
    if (Math.abs(value) > limit) {
      reasons.add(relative ? String.format(Locale.ROOT, "%s %+.1f%%", what, 100 * value)
          : String.format(Locale.ROOT, "%s %.3f", what, value));
    }
  }

  static double relativeChange(double current, double previous) {
    if (Double.isNaN(current) || Double.isNaN(previous)) {
      return Double.NaN;
    }
    if (previous == 0) {
      return current == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, current);
    }
    return (current - previous) / Math.abs(previous);
  }

  /** Largest gap between the two cumulative bucket distributions; NaN if either is empty. */
  public static double ksDistance(QuantileSketch a, QuantileSketch b) {
    long[][] cells = alignedCells(a, b);
    if (cells == null) {
      return Double.NaN;
    }
    double ca = 0;
    double cb = 0;
    double worst = 0;
    for (int i = 0; i < cells[0].length; i++) {
      ca += (double) cells[0][i] / a.count();
      cb += (double) cells[1][i] / b.count();
      worst = Math.max(worst, Math.abs(ca - cb));
    }
    return Math.min(1, worst);
  }

  /**
   * Population stability index {@code Σ (a − e) ln(a / e)} over ten bins cut at the expected
   * (previous) distribution's deciles, bucket-aligned; empty bin shares are floored at 1e-4. NaN if
   * either sketch is empty.
   */
  public static double populationStabilityIndex(QuantileSketch expected, QuantileSketch actual) {
    long[][] cells = alignedCells(expected, actual);
    if (cells == null) {
      return Double.NaN;
    }
    double psi = 0;
    long binE = 0;
    long binA = 0;
    long seenE = 0;
    int bin = 0;
    int n = cells[0].length;
    for (int i = 0; i < n; i++) {
      binE += cells[0][i];
      binA += cells[1][i];
      seenE += cells[0][i];
      boolean last = i == n - 1;
      if (last || (double) seenE / expected.count() >= (bin + 1.0) / PSI_BINS) {
        double e = Math.max(PSI_FLOOR, (double) binE / expected.count());
        double a = Math.max(PSI_FLOOR, (double) binA / actual.count());
        psi += (a - e) * Math.log(a / e);
        binE = 0;
        binA = 0;
        bin = (int) Math.min(PSI_BINS - 1, Math.floor((double) seenE * PSI_BINS / expected.count()));
      }
    }
    return psi;
  }

  /**
   * The two sketches' counts on one value-ordered axis of cells (negative buckets from the most
   * negative, the zero bucket, positive buckets ascending), at their common scale.
   */
  private static long[][] alignedCells(QuantileSketch a, QuantileSketch b) {
    if (a.isEmpty() || b.isEmpty()) {
      return null;
    }
    int scale = Math.min(a.scale(), b.scale());
    if (a.scale() != scale) {
      a = a.copy();
      a.downscaleTo(scale);
    }
    if (b.scale() != scale) {
      b = b.copy();
      b.downscaleTo(scale);
    }
    int[] neg = range(a.negativeOffset(), a.negativeCounts().length, b.negativeOffset(), b.negativeCounts().length);
    int[] pos = range(a.positiveOffset(), a.positiveCounts().length, b.positiveOffset(), b.positiveCounts().length);
    int negCells = neg == null ? 0 : neg[1] - neg[0] + 1;
    int posCells = pos == null ? 0 : pos[1] - pos[0] + 1;
    long[][] cells = new long[2][negCells + 1 + posCells];
    QuantileSketch[] both = {a, b};
    for (int s = 0; s < 2; s++) {
      int c = 0;
      for (int i = negCells - 1; i >= 0; i--) {
        cells[s][c++] = both[s].negativeCount(neg[0] + i);
      }
      cells[s][c++] = both[s].zeroCount();
      for (int i = 0; i < posCells; i++) {
        cells[s][c++] = both[s].positiveCount(pos[0] + i);
      }
    }
    return cells;
  }

  private static int[] range(int offA, int lenA, int offB, int lenB) {
    if (lenA == 0 && lenB == 0) {
      return null;
    }
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    if (lenA > 0) {
      lo = offA;
      hi = offA + lenA - 1;
    }
    if (lenB > 0) {
      lo = Math.min(lo, offB);
      hi = Math.max(hi, offB + lenB - 1);
    }
    return new int[] {lo, hi};
  }

  /**
   * Pearson correlation for every pair of series, over the positions where both are finite; pairs
   * with fewer than 3 such positions or a constant series are skipped. Returns those with
   * {@code |r| >= minAbs}, strongest first (then by names).
   */
  public static List<Correlation> correlate(Map<String, double[]> series, double minAbs) {
    List<String> names = new ArrayList<>(new TreeMap<>(series).keySet());
    List<Correlation> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        double[] x = Objects.requireNonNull(series.get(names.get(i)));
        double[] y = Objects.requireNonNull(series.get(names.get(j)));
        Correlation c = pearson(names.get(i), x, names.get(j), y);
        if (c != null && Math.abs(c.coefficient()) >= minAbs) {
          out.add(c);
        }
      }
    }
    out.sort(Comparator.comparingDouble((Correlation c) -> -Math.abs(c.coefficient()))
        .thenComparing(Correlation::first).thenComparing(Correlation::second));
    return out;
  }

  private static Correlation pearson(String nx, double[] x, String ny, double[] y) {
    int n = Math.min(x.length, y.length);
    int points = 0;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        points++;
        sx += x[i];
        sy += y[i];
      }
    }
    if (points < 3) {
      return null;
    }
    double mx = sx / points;
    double my = sy / points;
    double cov = 0;
    double vx = 0;
    double vy = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        double dx = x[i] - mx;
        double dy = y[i] - my;
        cov += dx * dy;
        vx += dx * dx;
        vy += dy * dy;
      }
    }
    if (vx == 0 || vy == 0) {
      return null;
    }
    double r = Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy)));
    return new Correlation(nx, ny, r, points);
  }

  @Override
  public String toString() {
    return "Drift{changed=" + changed() + ", correlations=" + correlations + "}";
  }
}
