package dev.sketchtrace.benchmarks.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import dev.sketchtrace.sketch.QuantileSketch;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Side by side, one run: Sketchtrace's OTLP-exact QuantileSketch (scale 5, α = 1.083 %) against
 * sketches-java DDSketch at the same relative accuracy with its logarithmic and its cubically
 * interpolated mapping (both with an unbounded dense store), and DataSketches KLL (k = 200) for
 * reference. {@code add*} fold 1e6 latency-like values into a fresh sketch and report ns per value;
 * {@code merge*} merge two such sketches into a copy; {@code p99*} answer one quantile query.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QuantileSketchBenchmark {
  private double[] values;
  private QuantileSketch oursA;
  private QuantileSketch oursB;
  private DDSketch logA;
  private DDSketch logB;
  private DDSketch cubicA;
  private DDSketch cubicB;
  private KllDoublesSketch kllA;
  private KllDoublesSketch kllB;

  static DDSketch logarithmic() {
    return new DDSketch(new LogarithmicMapping(LatencyData.RELATIVE_ACCURACY), UnboundedSizeDenseStore::new);
  }

  static DDSketch cubic() {
    return new DDSketch(new CubicallyInterpolatedMapping(LatencyData.RELATIVE_ACCURACY), UnboundedSizeDenseStore::new);
  }

  @Setup
  public void setUp() {
    values = LatencyData.values(1);
    double[] other = LatencyData.values(2);
    oursA = QuantileSketch.forLatencies();
    oursB = QuantileSketch.forLatencies();
    logA = logarithmic();
    logB = logarithmic();
    cubicA = cubic();
    cubicB = cubic();
    kllA = KllDoublesSketch.newHeapInstance(200);
    kllB = KllDoublesSketch.newHeapInstance(200);
    for (int i = 0; i < values.length; i++) {
      oursA.add(values[i]);
      oursB.add(other[i]);
      logA.accept(values[i]);
      logB.accept(other[i]);
      cubicA.accept(values[i]);
      cubicB.accept(other[i]);
      kllA.update(values[i]);
      kllB.update(other[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public QuantileSketch addOurs() {
    QuantileSketch s = QuantileSketch.forLatencies();
    for (double v : values) {
      s.add(v);
    }
    return s;
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public DDSketch addDdSketchLogarithmic() {
    DDSketch s = logarithmic();
    for (double v : values) {
      s.accept(v);
    }
    return s;
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public DDSketch addDdSketchCubic() {
    DDSketch s = cubic();
    for (double v : values) {
      s.accept(v);
    }
    return s;
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public KllDoublesSketch addKll() {
    KllDoublesSketch s = KllDoublesSketch.newHeapInstance(200);
    for (double v : values) {
      s.update(v);
    }
    return s;
  }

  @Benchmark
  public QuantileSketch mergeOurs() {
    QuantileSketch s = oursA.copy();
    s.merge(oursB);
    return s;
  }

  @Benchmark
  public DDSketch mergeDdSketchLogarithmic() {
    DDSketch s = logA.copy();
    s.mergeWith(logB);
    return s;
  }

  @Benchmark
  public DDSketch mergeDdSketchCubic() {
    DDSketch s = cubicA.copy();
    s.mergeWith(cubicB);
    return s;
  }

  @Benchmark
  public KllDoublesSketch mergeKll() {
    KllDoublesSketch s = KllDoublesSketch.newHeapInstance(200);
    s.merge(kllA);
    s.merge(kllB);
    return s;
  }

  @Benchmark
  public double p99Ours() {
    return oursA.quantile(0.99);
  }

  @Benchmark
  public double p99DdSketchLogarithmic() {
    return logA.getValueAtQuantile(0.99);
  }

  @Benchmark
  public double p99DdSketchCubic() {
    return cubicA.getValueAtQuantile(0.99);
  }

  @Benchmark
  public double p99Kll() {
    return kllA.getQuantile(0.99, QuantileSearchCriteria.INCLUSIVE);
  }
}
