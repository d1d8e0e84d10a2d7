package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {
  private static final double[] QS = {0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};

  /** Asserts every quantile of {@code s} is within its relative error of the exact one. */
  static void assertWithinGuarantee(QuantileSketch s, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double alpha = s.relativeError();
    assertThat(s.count()).isEqualTo(values.length);
    assertThat(s.min()).isEqualTo(sorted[0]);
    assertThat(s.max()).isEqualTo(sorted[sorted.length - 1]);
    for (double q : QS) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      double got = s.quantile(q);
      assertThat(Math.abs(got - exact))
          .as("q=%s exact=%s got=%s alpha=%s", q, exact, got, alpha)
          .isLessThanOrEqualTo(alpha * Math.abs(exact) * (1 + 1e-12));
    }
  }

  private static double[] sample(int n, DoubleSupplier gen) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = gen.getAsDouble();
    }
    return v;
  }

  private static QuantileSketch sketchOf(double[] values) {
    QuantileSketch s = QuantileSketch.forLatencies();
    for (double v : values) {
      s.add(v);
    }
    return s;
  }

  @Test
  void theDocumentedPromiseHolds() {
    assertThat(QuantileSketch.relativeError(5)).isBetween(0.01083, 0.01084);
    QuantileSketch s = QuantileSketch.forLatencies();
    s.add(100.0);
    s.add(1.0);
    s.add(1000.0);
    assertThat(s.quantile(0.5)).isBetween(98.92, 101.08);
  }

  @Test
  void millionValueDistributionsStayInsideTheGuarantee() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 1_000_000;
    double[][] datasets = {
      sample(n, () -> r.nextDouble(0, 1000)), // uniform
      sample(n, () -> 50 + 10 * gaussian(r)), // normal: mostly positive, some negative
      sample(n, () -> Math.exp(3 + 1.5 * gaussian(r))), // log-normal latencies
      sample(n, () -> 1.0 / Math.pow(1 - r.nextDouble(), 1 / 1.2)), // Pareto alpha 1.2
      sample(n, () -> r.nextBoolean() ? 2 + 0.2 * gaussian(r) : 800 + 50 * gaussian(r)), // bimodal
    };
    for (double[] d : datasets) {
      assertWithinGuarantee(sketchOf(d), d);
    }
  }

  @Test
  void adversarialInputsStayInsideTheGuarantee() {
    SplittableRandom r = new SplittableRandom(2);
    double[] equal = sample(10_000, () -> 42.4242);
    assertWithinGuarantee(sketchOf(equal), equal);

    double[] huge = sample(100_000, () -> Math.exp(r.nextDouble(-700, 700)) * (r.nextBoolean() ? 1 : -1));
    QuantileSketch wide = sketchOf(huge);
    assertThat(wide.scale()).isLessThan(5); // had to downscale to fit 2048 buckets per sign
    assertWithinGuarantee(wide, huge);

    double[] mixed = sample(100_000, () -> {
      int k = r.nextInt(3);
      return k == 0 ? 0.0 : k == 1 ? -r.nextDouble(1e-3, 1e3) : r.nextDouble(1e-3, 1e3);
    });
    QuantileSketch m = sketchOf(mixed);
    assertWithinGuarantee(m, mixed);
    assertThat(m.zeroCount()).isEqualTo(Arrays.stream(mixed).filter(v -> v == 0).count());

    double[] extremes = {Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MIN_VALUE, 0.0, 1.0};
    QuantileSketch x = sketchOf(extremes);
    assertThat(x.scale()).isEqualTo(-1);
    assertWithinGuarantee(x, extremes);
  }

  @Test
  void rejectsNonFiniteValuesAndNegativeCountsWithoutChange() {
    QuantileSketch s = QuantileSketch.forLatencies();
    s.add(3.0);
    byte[] before = s.toBytes();
    assertThatThrownBy(() -> s.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.add(Double.NEGATIVE_INFINITY, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.add(1.0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(s.toBytes()).isEqualTo(before);
  }

  @Test
  void counterOverflowThrowsAndLeavesTheSketchUnchanged() {
    QuantileSketch s = QuantileSketch.forLatencies();
    s.add(1.0, Long.MAX_VALUE - 1);
    s.add(2.0);
    byte[] before = s.toBytes();
    assertThatThrownBy(() -> s.add(3.0)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> s.add(3.0, 5)).isInstanceOf(ArithmeticException.class);
    QuantileSketch other = QuantileSketch.forLatencies();
    other.add(1e9);
    assertThatThrownBy(() -> s.merge(other)).isInstanceOf(ArithmeticException.class);
    assertThat(s.toBytes()).isEqualTo(before);
  }

  @Test
  void mergingDifferentZeroThresholdsThrowsAndLeavesTheSketchUnchanged() {
    QuantileSketch a = QuantileSketch.create(5, 2048, 0.0);
    a.add(1.0);
    QuantileSketch b = QuantileSketch.create(5, 2048, 1e-9);
    b.add(1.0);
    byte[] before = a.toBytes();
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class);
    assertThat(a.toBytes()).isEqualTo(before);
  }

  @Test
  void downscalingIsExactAndKeepsOtlpShape() {
    SplittableRandom r = new SplittableRandom(5);
    QuantileSketch s = QuantileSketch.create(8, 4096);
    double[] values = sample(50_000, () -> Math.exp(r.nextDouble(-5, 5)));
    for (double v : values) {
      s.add(v);
    }
    QuantileSketch coarse = QuantileSketch.create(3, 4096);
    for (double v : values) {
      coarse.add(v);
    }
    s.downscaleTo(3);
    assertThat(s.toBytes()).isEqualTo(coarse.toBytes());
  }

  @Test
  void bucketLimitForcesTheLargestScaleThatFits() {
    QuantileSketch s = QuantileSketch.create(10, 16);
    for (int i = 1; i <= 1000; i++) {
      s.add(i);
    }
    long[] counts = s.positiveCounts();
    assertThat(counts.length).isLessThanOrEqualTo(16);
    // one more scale step would have fitted too, the one above must not
    QuantileSketch finer = QuantileSketch.create(s.scale() + 1, 1 << 16);
    for (int i = 1; i <= 1000; i++) {
      finer.add(i);
    }
    assertThat(finer.positiveCounts().length).isGreaterThan(16);
  }

  @Test
  void emptySketchAnswersNaN() {
    QuantileSketch s = QuantileSketch.forLatencies();
    assertThat(s.quantile(0.5)).isNaN();
    assertThat(s.min()).isNaN();
    assertThat(s.max()).isNaN();
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.positiveCounts()).isEmpty();
    assertThatThrownBy(() -> s.quantile(1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clearAndCopy() {
    QuantileSketch s = QuantileSketch.forLatencies();
    s.add(5);
    s.add(-5);
    s.add(0);
    QuantileSketch c = s.copy();
    s.clear();
    assertThat(s.toBytes()).isEqualTo(QuantileSketch.forLatencies().toBytes());
    assertThat(c.toBytes()).isEqualTo(QuantileSketch.fromBytes(c.toBytes()).toBytes());
    assertThat(c.count()).isEqualTo(3);
    assertThat(c.quantile(0)).isEqualTo(-5);
    assertThat(s.sizeInBytes()).isPositive();
  }

  @Test
  void clearReturnsToTheInitialScale() {
    QuantileSketch s = QuantileSketch.create(5, 8);
    s.add(1);
    s.add(1e6);
    assertThat(s.scale()).isLessThan(5);
    QuantileSketch c = s.copy();
    s.clear();
    c.clear();
    assertThat(s.scale()).isEqualTo(5);
    assertThat(c.scale()).isEqualTo(5);
    s.add(3);
    assertThat(s.quantile(0.5)).isEqualTo(3);
  }

  @Test
  void bucketArraysStayCorrectAndWithinTwiceTheRangeUnderOutwardGrowth() {
    QuantileSketch s = QuantileSketch.forLatencies();
    java.util.Map<Integer, Long> expected = new java.util.TreeMap<>();
    BucketMapping m = BucketMapping.forScale(5);
    double lo = 100;
    double hi = 100;
    for (int i = 0; i < 1500; i++) {
      double v = i % 2 == 0 ? (hi *= 1.01) : (lo /= 1.02);
      s.add(v);
      expected.merge(m.index(v), 1L, Long::sum);
    }
    assertThat(s.scale()).isEqualTo(5);
    long[] counts = s.positiveCounts();
    for (int j = 0; j < counts.length; j++) {
      assertThat(counts[j]).isEqualTo(expected.getOrDefault(s.positiveOffset() + j, 0L));
    }
    assertThat(Arrays.stream(counts).sum()).isEqualTo(1500);
    assertThat(s.sizeInBytes()).isLessThanOrEqualTo(200 + 2 * 8L * counts.length);
  }

  static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
