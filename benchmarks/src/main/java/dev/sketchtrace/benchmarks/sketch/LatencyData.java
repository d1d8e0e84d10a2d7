package dev.sketchtrace.benchmarks.sketch;

import java.util.SplittableRandom;

/** The shared input: 1e6 latency-like values (log-normal, median 20 ms, long right tail), seeded. */
final class LatencyData {
  static final int N = 1_000_000;
  /** The relative accuracy of QuantileSketch.forLatencies(), used for the DDSketch peers too. */
  static final double RELATIVE_ACCURACY = (Math.pow(2, 1.0 / 32) - 1) / (Math.pow(2, 1.0 / 32) + 1);

  private LatencyData() {}

  static double[] values(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
      v[i] = 20.0 * Math.exp(1.2 * g);
    }
    return v;
  }

  static long[] longs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] v = new long[N];
    for (int i = 0; i < N; i++) {
      v[i] = r.nextLong();
    }
    return v;
  }
}
