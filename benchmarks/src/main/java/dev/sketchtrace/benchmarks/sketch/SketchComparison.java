package dev.sketchtrace.benchmarks.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.QuantileSketch;
import java.util.Arrays;
import java.util.Locale;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The non-timing half of the comparison: worst relative quantile error and serialized size of each
 * sketch over the same 1e6 latency-like values, and HLL error. Run with
 * {@code java -cp benchmarks.jar dev.sketchtrace.benchmarks.sketch.SketchComparison}.
 */
public final class SketchComparison {
  private static final double[] QS = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

  private SketchComparison() {}

  public static void main(String[] args) {
    double[] values = LatencyData.values(1);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    QuantileSketch ours = QuantileSketch.forLatencies();
    DDSketch log = QuantileSketchBenchmark.logarithmic();
    DDSketch cubic = QuantileSketchBenchmark.cubic();
    KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
    for (double v : values) {
      ours.add(v);
      log.accept(v);
      cubic.accept(v);
      kll.update(v);
    }
    double eOurs = 0;
    double eLog = 0;
    double eCubic = 0;
    double eKll = 0;
    for (double q : QS) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      eOurs = Math.max(eOurs, Math.abs(ours.quantile(q) - exact) / exact);
      eLog = Math.max(eLog, Math.abs(log.getValueAtQuantile(q) - exact) / exact);
      eCubic = Math.max(eCubic, Math.abs(cubic.getValueAtQuantile(q) - exact) / exact);
      eKll = Math.max(eKll, Math.abs(kll.getQuantile(q, QuantileSearchCriteria.INCLUSIVE) - exact) / exact);
    }
    System.out.printf(Locale.ROOT, "| sketch | worst relative error (p1..p99.9) | serialized bytes | buckets |%n");
    System.out.printf(Locale.ROOT, "|---|---|---|---|%n");
    System.out.printf(Locale.ROOT, "| Sketchtrace QuantileSketch (scale 5) | %.4f %% | %d | %d |%n", 100 * eOurs,
        ours.toBytes().length, ours.positiveCounts().length);
    System.out.printf(Locale.ROOT, "| DDSketch logarithmic, dense | %.4f %% | %d | %d |%n", 100 * eLog,
        log.serializedSize(), log.getPositiveValueStore().getMaxIndex() - log.getPositiveValueStore().getMinIndex() + 1);
    System.out.printf(Locale.ROOT, "| DDSketch cubic, dense | %.4f %% | %d | %d |%n", 100 * eCubic,
        cubic.serializedSize(), cubic.getPositiveValueStore().getMaxIndex() - cubic.getPositiveValueStore().getMinIndex() + 1);
    System.out.printf(Locale.ROOT, "| DataSketches KLL k=200 | %.4f %% (KLL bounds rank error, not value error) | %d | - |%n", 100 * eKll,
        kll.toByteArray().length);

    System.out.printf(Locale.ROOT, "%n| HLL p=14, 1e6 distinct, 10 seeds | mean error | worst error | serialized bytes |%n"
        + "|---|---|---|---|%n");
    double[] oursErr = new double[10];
    double[] theirErr = new double[10];
    int oursBytes = 0;
    int theirBytes = 0;
    for (int seed = 0; seed < 10; seed++) {
      long[] ids = LatencyData.longs(100 + seed);
      HyperLogLog h = HyperLogLog.create();
      HllSketch ds = new HllSketch(14, TgtHllType.HLL_8);
      for (long id : ids) {
        h.addLong(id);
        ds.update(id);
      }
      oursErr[seed] = h.estimate() / ids.length - 1;
      theirErr[seed] = ds.getEstimate() / ids.length - 1;
      oursBytes = h.toBytes().length;
      theirBytes = ds.toCompactByteArray().length;
    }
    System.out.printf(Locale.ROOT, "| Sketchtrace HyperLogLog (σ = 0.81 %%) | %+.3f %% | %.3f %% | %d |%n",
        100 * Arrays.stream(oursErr).average().orElse(0), 100 * Arrays.stream(oursErr).map(Math::abs).max().orElse(0), oursBytes);
    System.out.printf(Locale.ROOT, "| DataSketches HLL_8 | %+.3f %% | %.3f %% | %d |%n",
        100 * Arrays.stream(theirErr).average().orElse(0), 100 * Arrays.stream(theirErr).map(Math::abs).max().orElse(0), theirBytes);
  }
}
