package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Merge laws as seeded property loops. Values are integers (or small dyadic fractions) of bounded
 * size, so even the double sum is exact in any order and whole states can be compared as bytes.
 */
class QuantileMergeLawsTest {
  private static final int TRIALS = 150;

  private static QuantileSketch randomSketch(SplittableRandom r, int scale, int maxBuckets) {
    QuantileSketch s = QuantileSketch.create(scale, maxBuckets);
    int n = r.nextInt(0, 400);
    int spread = r.nextInt(1, 34); // up to 2^33: forces downscales at small bucket limits
    for (int i = 0; i < n; i++) {
      long magnitude = r.nextLong(1L << spread);
      double v = (r.nextInt(4) == 0 ? -magnitude : magnitude) / 8.0;
      if (r.nextInt(10) == 0) {
        s.add(v, r.nextLong(1, 1000));
      } else {
        s.add(v);
      }
    }
    return s;
  }

  private static QuantileSketch merged(QuantileSketch a, QuantileSketch b) {
    QuantileSketch m = a.copy();
    m.merge(b);
    return m;
  }

  @Test
  void mergingShardsEqualsSketchingTheUnion() {
    SplittableRandom r = new SplittableRandom(11);
    for (int t = 0; t < TRIALS; t++) {
      int scale = r.nextInt(-2, 9);
      int maxBuckets = r.nextBoolean() ? 8 + r.nextInt(40) : 2048;
      QuantileSketch union = QuantileSketch.create(scale, maxBuckets);
      QuantileSketch[] shards = new QuantileSketch[1 + r.nextInt(5)];
      for (int k = 0; k < shards.length; k++) {
        shards[k] = QuantileSketch.create(scale, maxBuckets);
      }
      int n = r.nextInt(2000);
      int spread = r.nextInt(1, 34);
      for (int i = 0; i < n; i++) {
        long magnitude = r.nextLong(1L << spread);
        double v = (r.nextInt(3) == 0 ? -magnitude : magnitude) / 4.0;
        union.add(v);
        shards[r.nextInt(shards.length)].add(v);
      }
      QuantileSketch m = QuantileSketch.create(scale, maxBuckets);
      for (QuantileSketch s : shards) {
        m.merge(s);
      }
      assertThat(m.toBytes()).as("trial %d", t).isEqualTo(union.toBytes());
    }
  }

  @Test
  void mergeIsAssociativeCommutativeAndHasAnIdentity() {
    SplittableRandom r = new SplittableRandom(12);
    for (int t = 0; t < TRIALS; t++) {
      int maxBuckets = r.nextBoolean() ? 16 : 2048;
      QuantileSketch a = randomSketch(r, r.nextInt(0, 9), maxBuckets);
      QuantileSketch b = randomSketch(r, r.nextInt(0, 9), maxBuckets);
      QuantileSketch c = randomSketch(r, r.nextInt(0, 9), maxBuckets);
      assertThat(merged(merged(a, b), c).toBytes()).isEqualTo(merged(a, merged(b, c)).toBytes());
      // a ⊕ b and b ⊕ a differ only in which bucket limit the result keeps; equal limits here.
      assertThat(merged(a, b).toBytes()).isEqualTo(merged(b, a).toBytes());
      QuantileSketch empty = QuantileSketch.create(20, maxBuckets);
      assertThat(merged(a, empty).toBytes()).isEqualTo(a.toBytes());
      assertThat(merged(empty, a).toBytes()).isEqualTo(a.toBytes());
      QuantileSketch self = a.copy();
      self.merge(self);
      QuantileSketch twice = merged(a, a);
      assertThat(self.toBytes()).isEqualTo(twice.toBytes());
    }
  }

  @Test
  void serializeDeserializeGivesEqualStateAndEqualBytes() {
    SplittableRandom r = new SplittableRandom(13);
    for (int t = 0; t < TRIALS; t++) {
      QuantileSketch a = randomSketch(r, r.nextInt(-10, 21), r.nextBoolean() ? 8 : 2048);
      byte[] bytes = a.toBytes();
      QuantileSketch back = QuantileSketch.fromBytes(bytes);
      assertThat(back.toBytes()).isEqualTo(bytes);
      assertThat(back.count()).isEqualTo(a.count());
      assertThat(back.scale()).isEqualTo(a.scale());
      assertThat(back.positiveCounts()).isEqualTo(a.positiveCounts());
      assertThat(back.negativeCounts()).isEqualTo(a.negativeCounts());
      for (double q = 0; q <= 1; q += 0.125) {
        assertThat(Double.valueOf(back.quantile(q))).isEqualTo(Double.valueOf(a.quantile(q)));
      }
      // Same state reached by a different history serializes to the same bytes.
      QuantileSketch rebuilt = QuantileSketch.fromExponentialHistogram(a.scale(), a.zeroThreshold(), a.zeroCount(),
          a.positiveOffset(), a.positiveCounts(), a.negativeOffset(), a.negativeCounts(), a.sum(), a.min(), a.max());
      if (a.maxBucketsPerSign() == QuantileSketch.DEFAULT_MAX_BUCKETS) {
        assertThat(rebuilt.toBytes()).isEqualTo(bytes);
      }
    }
  }
}
