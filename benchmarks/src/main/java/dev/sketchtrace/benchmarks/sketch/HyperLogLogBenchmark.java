package dev.sketchtrace.benchmarks.sketch;

import dev.sketchtrace.sketch.HyperLogLog;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
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
 * Sketchtrace HyperLogLog (p = 14, one byte per register) against DataSketches HLL_8 at the same
 * precision (lgK = 14): 1e6 distinct long values, each hashed by the sketch itself (ours: the
 * XXH64 finalizer; DataSketches: MurmurHash3), so both do the same work per value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HyperLogLogBenchmark {
  private long[] values;
  private HyperLogLog oursA;
  private HyperLogLog oursB;
  private HllSketch dsA;
  private HllSketch dsB;

  @Setup
  public void setUp() {
    values = LatencyData.longs(3);
    oursA = HyperLogLog.create();
    oursB = HyperLogLog.create();
    dsA = new HllSketch(14, TgtHllType.HLL_8);
    dsB = new HllSketch(14, TgtHllType.HLL_8);
    for (int i = 0; i < values.length; i++) {
      oursA.addLong(values[i]);
      dsA.update(values[i]);
      oursB.addLong(values[i] ^ 0x5555);
      dsB.update(values[i] ^ 0x5555);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public HyperLogLog addOurs() {
    HyperLogLog h = HyperLogLog.create();
    for (long v : values) {
      h.addLong(v);
    }
    return h;
  }

  @Benchmark
  @OperationsPerInvocation(LatencyData.N)
  public HllSketch addDataSketchesHll8() {
    HllSketch h = new HllSketch(14, TgtHllType.HLL_8);
    for (long v : values) {
      h.update(v);
    }
    return h;
  }

  @Benchmark
  public double estimateOurs() {
    return oursA.estimate();
  }

  @Benchmark
  public double estimateDataSketchesHll8() {
    return dsA.getEstimate();
  }

  @Benchmark
  public HyperLogLog mergeOurs() {
    HyperLogLog h = oursA.copy();
    h.merge(oursB);
    return h;
  }
}
