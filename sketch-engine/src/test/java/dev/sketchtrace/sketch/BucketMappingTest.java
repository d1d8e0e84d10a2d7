package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BucketMappingTest {

  @Test
  void everyPowerOfTwoGoesToTheLowerBucketAtEveryScale() {
    for (int scale = BucketMapping.MIN_SCALE; scale <= BucketMapping.MAX_SCALE; scale++) {
      BucketMapping m = BucketMapping.forScale(scale);
      for (int e = -1074; e <= 1023; e++) {
        double v = Math.scalb(1.0, e);
        // log_base(2^e) = e * 2^scale exactly, so the spec's ceil(log) - 1 is computable exactly.
        int expected = scale >= 0 ? (e << scale) - 1 : (int) Math.ceil(e / Math.scalb(1.0, -scale)) - 1;
        assertThat(m.index(v)).as("2^%d at scale %d", e, scale).isEqualTo(expected);
      }
    }
  }

  @Test
  void valuesAtAndNextToEveryBoundaryMatchTheExactDefinition() {
    SplittableRandom random = new SplittableRandom(42);
    for (int scale = BucketMapping.MIN_SCALE; scale <= BucketMapping.MAX_SCALE; scale++) {
      BucketMapping m = BucketMapping.forScale(scale);
      int lo = m.index(Double.MIN_VALUE);
      int hi = m.index(Double.MAX_VALUE);
      int samples = scale <= 0 ? 40 : 60;
      for (int s = 0; s < samples; s++) {
        // Bias a third of the samples into the subnormal range.
        int i = s % 3 == 0 ? lo + random.nextInt(Math.max(1, (int) ((long) 52 << Math.max(0, scale))))
            : lo + (int) (random.nextLong((long) hi - lo + 1));
        double b = Math.pow(2.0, Math.scalb((double) i, -scale));
        if (b == 0 || Double.isInfinite(b)) {
          continue;
        }
        for (double v : new double[] {Math.nextDown(Math.nextDown(b)), Math.nextDown(b), b, Math.nextUp(b), Math.nextUp(Math.nextUp(b))}) {
          if (v > 0 && v <= Double.MAX_VALUE) {
            assertThat(m.index(v)).as("%s at scale %d", v, scale).isEqualTo(ExactIndex.index(v, scale));
          }
        }
      }
    }
  }

  @Test
  void randomDoublesOverTheWholeRangeMatchTheExactDefinition() {
    SplittableRandom random = new SplittableRandom(7);
    for (int scale = BucketMapping.MIN_SCALE; scale <= BucketMapping.MAX_SCALE; scale++) {
      BucketMapping m = BucketMapping.forScale(scale);
      for (int s = 0; s < 60; s++) {
        double v = Double.longBitsToDouble(random.nextLong(1L, 0x7FF0000000000000L));
        assertThat(m.index(v)).as("%s at scale %d", v, scale).isEqualTo(ExactIndex.index(v, scale));
      }
    }
  }

  @Test
  void everyTableBoundaryAtTheDefaultScaleIsExactAcrossExponents() {
    BucketMapping m = BucketMapping.forScale(5);
    for (int e : new int[] {-1074, -1060, -1023, -1022, -100, -1, 0, 1, 30, 1023}) {
      for (int k = 0; k < 32; k++) {
        double b = Math.scalb(Math.pow(2.0, k / 32.0), e);
        for (double v : new double[] {Math.nextDown(b), b, Math.nextUp(b)}) {
          if (v > 0 && v <= Double.MAX_VALUE) {
            assertThat(m.index(v)).as("%s", v).isEqualTo(ExactIndex.index(v, 5));
          }
        }
      }
    }
  }

  @Test
  void indicesAreMonotoneAndDownscaleByShifting() {
    SplittableRandom random = new SplittableRandom(3);
    for (int s = 0; s < 20_000; s++) {
      double v = Math.exp(random.nextDouble(-700, 700));
      int fine = BucketMapping.forScale(20).index(v);
      for (int scale = 19; scale >= -10; scale--) {
        assertThat(BucketMapping.forScale(scale).index(v)).isEqualTo(fine >> (20 - scale));
      }
    }
  }
}
