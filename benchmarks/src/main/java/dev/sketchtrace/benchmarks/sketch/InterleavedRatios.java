package dev.sketchtrace.benchmarks.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.sketchtrace.sketch.QuantileSketch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A companion to the JMH benchmarks for busy machines: the contenders run back to back inside each
 * round, so load that changes over time hits them alike, and the report is the median per-round
 * time ratio (plus the best round of each). Not a replacement for JMH; a check on its ratios. Run
 * with {@code java -cp benchmarks.jar dev.sketchtrace.benchmarks.sketch.InterleavedRatios}.
 */
public final class InterleavedRatios {
  private InterleavedRatios() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    double[] values = LatencyData.values(1);
    double[] other = LatencyData.values(2);
    long sink = 0;
    List<Double> addVsCubic = new ArrayList<>();
    List<Double> addVsLog = new ArrayList<>();
    double[] bestAdd = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      QuantileSketch q = addOurs(values);
      long t1 = System.nanoTime();
      DDSketch c = addAll(QuantileSketchBenchmark.cubic(), values);
      long t2 = System.nanoTime();
      DDSketch l = addAll(QuantileSketchBenchmark.logarithmic(), values);
      long t3 = System.nanoTime();
      sink += q.count() + (long) c.getCount() + (long) l.getCount();
      if (round >= rounds / 5) { // the first fifth is warm-up
        addVsCubic.add((double) (t1 - t0) / (t2 - t1));
        addVsLog.add((double) (t1 - t0) / (t3 - t2));
        bestAdd[0] = Math.min(bestAdd[0], (t1 - t0) / (double) values.length);
        bestAdd[1] = Math.min(bestAdd[1], (t2 - t1) / (double) values.length);
        bestAdd[2] = Math.min(bestAdd[2], (t3 - t2) / (double) values.length);
      }
    }
    QuantileSketch qa = QuantileSketch.forLatencies();
    QuantileSketch qb = QuantileSketch.forLatencies();
    DDSketch la = QuantileSketchBenchmark.logarithmic();
    DDSketch lb = QuantileSketchBenchmark.logarithmic();
    for (int i = 0; i < values.length; i++) {
      qa.add(values[i]);
      qb.add(other[i]);
      la.accept(values[i]);
      lb.accept(other[i]);
    }
    List<Double> mergeVsLog = new ArrayList<>();
    double[] bestMerge = {Double.MAX_VALUE, Double.MAX_VALUE};
    for (int round = 0; round < rounds * 3; round++) {
      long t0 = System.nanoTime();
      sink += mergeOurs(qa, qb);
      long t1 = System.nanoTime();
      sink += mergeDd(la, lb);
      long t2 = System.nanoTime();
      if (round >= rounds * 3 / 5) {
        mergeVsLog.add((double) (t1 - t0) / (t2 - t1));
        bestMerge[0] = Math.min(bestMerge[0], (t1 - t0) / 200.0);
        bestMerge[1] = Math.min(bestMerge[1], (t2 - t1) / 200.0);
      }
    }
    System.out.printf(Locale.ROOT, "add, ns/value (best round): ours %.2f, DDSketch cubic %.2f, DDSketch log %.2f%n",
        bestAdd[0], bestAdd[1], bestAdd[2]);
    System.out.printf(Locale.ROOT, "add, median time ratio: ours/cubic %.2f, ours/log %.2f%n", median(addVsCubic),
        median(addVsLog));
    System.out.printf(Locale.ROOT, "copy+merge of two 1e6-value sketches, ns (best round): ours %.0f, DDSketch log %.0f;"
        + " median ratio %.2f%n", bestMerge[0], bestMerge[1], median(mergeVsLog));
    System.out.println("(checksum " + sink + ")");
  }

  // Each loop in its own small method, so the JIT compiles each on its own profile.
  private static QuantileSketch addOurs(double[] values) {
    QuantileSketch q = QuantileSketch.forLatencies();
    for (double v : values) {
      q.add(v);
    }
    return q;
  }

  private static DDSketch addAll(DDSketch s, double[] values) {
    for (double v : values) {
      s.accept(v);
    }
    return s;
  }

  private static long mergeOurs(QuantileSketch a, QuantileSketch b) {
    long sink = 0;
    for (int k = 0; k < 200; k++) {
      QuantileSketch m = a.copy();
      m.merge(b);
      sink += m.count();
    }
    return sink;
  }

  private static long mergeDd(DDSketch a, DDSketch b) {
    long sink = 0;
    for (int k = 0; k < 200; k++) {
      DDSketch m = a.copy();
      m.mergeWith(b);
      sink += (long) m.getCount();
    }
    return sink;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
