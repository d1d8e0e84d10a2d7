package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {

  @Test
  void errorStaysWithinThreeStandardErrorsOverManySeeds() {
    for (int n : new int[] {1_000, 10_000, 50_000, 300_000}) {
      int seeds = 30;
      int within = 0;
      double meanError = 0;
      for (int seed = 0; seed < seeds; seed++) {
        HyperLogLog h = HyperLogLog.create();
        SplittableRandom r = new SplittableRandom(seed * 7919L + n);
        for (int i = 0; i < n; i++) {
          h.addLong(r.nextLong());
        }
        double rel = (h.estimate() - n) / n;
        meanError += rel / seeds;
        if (Math.abs(rel) <= 3 * h.standardError()) {
          within++;
        }
        assertThat(Math.abs(rel)).as("n=%d seed=%d", n, seed).isLessThan(4 * h.standardError());
      }
      assertThat(within).as("n=%d", n).isGreaterThanOrEqualTo(seeds - 1);
      // The classic estimator's known bias just above the linear-counting switch (2.5 m = 40 960)
      // is about one standard error; elsewhere it is far below that.
      double allowedBias = n == 50_000 ? 1.5 : 0.5;
      assertThat(Math.abs(meanError)).as("bias at n=%d", n).isLessThan(allowedBias * HyperLogLog.create().standardError());
    }
  }

  @Test
  void smallCountsAreNearlyExactAndStringsWork() {
    HyperLogLog h = HyperLogLog.create();
    assertThat(h.estimate()).isZero();
    assertThat(h.isEmpty()).isTrue();
    for (int i = 0; i < 100; i++) {
      h.addString("user-" + i);
      h.addString("user-" + i);
    }
    assertThat(h.estimate()).isBetween(98.0, 102.0);
    assertThat(h.standardError()).isCloseTo(1.04 / 128, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void mergeLawsHoldExactly() {
    SplittableRandom r = new SplittableRandom(5);
    for (int t = 0; t < 30; t++) {
      int p = r.nextInt(4, 15);
      HyperLogLog union = new HyperLogLog(p);
      HyperLogLog[] shards = {new HyperLogLog(p), new HyperLogLog(p), new HyperLogLog(p)};
      int n = r.nextInt(20_000);
      for (int i = 0; i < n; i++) {
        long v = r.nextLong(5_000);
        union.addLong(v);
        shards[r.nextInt(3)].addLong(v);
      }
      HyperLogLog ab = shards[0].copy();
      ab.merge(shards[1]);
      HyperLogLog abc = ab.copy();
      abc.merge(shards[2]);
      assertThat(abc.toBytes()).isEqualTo(union.toBytes());
      HyperLogLog bc = shards[1].copy();
      bc.merge(shards[2]);
      HyperLogLog aBc = shards[0].copy();
      aBc.merge(bc);
      assertThat(aBc.toBytes()).isEqualTo(abc.toBytes());
      HyperLogLog ba = shards[1].copy();
      ba.merge(shards[0]);
      assertThat(ba.toBytes()).isEqualTo(ab.toBytes());
      HyperLogLog withEmpty = abc.copy();
      withEmpty.merge(new HyperLogLog(p));
      assertThat(withEmpty.toBytes()).isEqualTo(abc.toBytes());
      byte[] bytes = abc.toBytes();
      assertThat(HyperLogLog.fromBytes(bytes).toBytes()).isEqualTo(bytes);
      assertThat(HyperLogLog.fromBytes(bytes).estimate()).isEqualTo(abc.estimate());
    }
  }

  @Test
  void incompatibleMergeThrowsAndChangesNothing() {
    HyperLogLog a = new HyperLogLog(10);
    a.addLong(1);
    byte[] before = a.toBytes();
    assertThatThrownBy(() -> a.merge(new HyperLogLog(11))).isInstanceOf(IllegalArgumentException.class);
    assertThat(a.toBytes()).isEqualTo(before);
    assertThatThrownBy(() -> new HyperLogLog(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HyperLogLog(19)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizeIsReported() {
    assertThat(HyperLogLog.create().sizeInBytes()).isGreaterThanOrEqualTo(16_384);
    assertThat(HyperLogLog.create().toBytes()).hasSize(16_387);
  }
}
