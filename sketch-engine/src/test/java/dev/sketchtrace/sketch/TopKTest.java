package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopKTest {

  /** Zipf(s) over ranks 1..n, sampled by inverting the cumulative weights. */
  static final class Zipf {
    final double[] cdf;

    Zipf(int n, double s) {
      cdf = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        total += 1 / Math.pow(i + 1, s);
        cdf[i] = total;
      }
      for (int i = 0; i < n; i++) {
        cdf[i] /= total;
      }
    }

    int next(SplittableRandom r) {
      int i = Arrays.binarySearch(cdf, r.nextDouble());
      return i >= 0 ? i : -i - 1;
    }
  }

  @Test
  void recallOnAZipfStreamAndEstimatesCarryTheirBound() {
    SplittableRandom r = new SplittableRandom(3);
    Zipf zipf = new Zipf(20_000, 1.1);
    TopK top = TopK.create(0.001, 0.01, 20);
    Map<String, Long> exact = new HashMap<>();
    for (int i = 0; i < 300_000; i++) {
      String key = "SELECT * FROM t" + zipf.next(r) + " WHERE id = ?";
      long w = 1 + r.nextInt(5);
      top.add(key, w);
      exact.merge(key, w, Long::sum);
    }
    List<String> trueTop = exact.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(20).map(Map.Entry::getKey).collect(Collectors.toList());
    List<HeavyHitter> got = top.top();
    assertThat(got).hasSize(20);
    long hits = got.stream().filter(h -> trueTop.contains(h.key())).count();
    assertThat(hits).as("recall of the true top 20").isGreaterThanOrEqualTo(19);
    assertThat(got.stream().map(HeavyHitter::key).collect(Collectors.toList())).containsAll(trueTop.subList(0, 10));
    for (HeavyHitter h : got) {
      long truth = exact.get(h.key());
      assertThat(h.estimate()).isGreaterThanOrEqualTo(truth);
      assertThat(h.lowerBound()).isLessThanOrEqualTo(truth);
      assertThat(h.errorBound()).isEqualTo((long) Math.ceil(Math.E / 2719 * top.totalWeight()));
    }
    for (int i = 1; i < got.size(); i++) {
      assertThat(got.get(i - 1).estimate()).isGreaterThanOrEqualTo(got.get(i).estimate());
    }
  }

  @Test
  void plainCountMinMergeLawsAreExact() {
    SplittableRandom r = new SplittableRandom(4);
    for (int t = 0; t < 20; t++) {
      CountMinSketch union = CountMinSketch.withDimensions(64, 4, false);
      CountMinSketch[] shards = new CountMinSketch[3];
      for (int i = 0; i < 3; i++) {
        shards[i] = CountMinSketch.withDimensions(64, 4, false);
      }
      for (int i = 0; i < 2000; i++) {
        String key = "k" + r.nextInt(300);
        long w = r.nextInt(10);
        union.add(key, w);
        shards[r.nextInt(3)].add(key, w);
      }
      CountMinSketch ab = shards[0].copy();
      ab.merge(shards[1]);
      CountMinSketch abc = ab.copy();
      abc.merge(shards[2]);
      assertThat(abc.toBytes()).isEqualTo(union.toBytes());
      CountMinSketch ba = shards[1].copy();
      ba.merge(shards[0]);
      assertThat(ba.toBytes()).isEqualTo(ab.toBytes());
      CountMinSketch bc = shards[1].copy();
      bc.merge(shards[2]);
      CountMinSketch aBc = shards[0].copy();
      aBc.merge(bc);
      assertThat(aBc.toBytes()).isEqualTo(abc.toBytes());
      CountMinSketch withEmpty = abc.copy();
      withEmpty.merge(CountMinSketch.withDimensions(64, 4, false));
      assertThat(withEmpty.toBytes()).isEqualTo(abc.toBytes());
      assertThat(CountMinSketch.fromBytes(abc.toBytes()).toBytes()).isEqualTo(abc.toBytes());
    }
  }

  @Test
  void conservativeMergeKeepsUpperBoundsAndTopKMergeIsOrderFree() {
    SplittableRandom r = new SplittableRandom(5);
    Zipf zipf = new Zipf(2_000, 1.2);
    TopK a = TopK.create(0.005, 0.01, 10);
    TopK b = TopK.create(0.005, 0.01, 10);
    Map<String, Long> exact = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      String key = "/route/" + zipf.next(r);
      (i % 2 == 0 ? a : b).add(key, 1);
      exact.merge(key, 1L, Long::sum);
    }
    TopK ab = a.copy();
    ab.merge(b);
    TopK ba = b.copy();
    ba.merge(a);
    assertThat(ab.toBytes()).isEqualTo(ba.toBytes());
    assertThat(ab.top()).isEqualTo(ba.top());
    assertThat(ab.totalWeight()).isEqualTo(50_000);
    for (HeavyHitter h : ab.top()) {
      assertThat(h.estimate()).isGreaterThanOrEqualTo(exact.get(h.key()));
      assertThat(h.estimate() - h.errorBound()).isLessThanOrEqualTo(exact.get(h.key()));
    }
    TopK withEmpty = ab.copy();
    withEmpty.merge(TopK.create(0.005, 0.01, 10));
    assertThat(withEmpty.toBytes()).isEqualTo(ab.toBytes());
    byte[] bytes = ab.toBytes();
    TopK back = TopK.fromBytes(bytes);
    assertThat(back.toBytes()).isEqualTo(bytes);
    assertThat(back.top()).isEqualTo(ab.top());
  }

  @Test
  void incompatibleOrOverflowingMergeThrowsAndChangesNothing() {
    TopK a = TopK.create(0.01, 0.01, 5);
    a.add("x", Long.MAX_VALUE - 10);
    byte[] before = a.toBytes();
    TopK b = TopK.create(0.01, 0.01, 5);
    b.add("y", 100);
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> a.add("z", 11)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> a.merge(TopK.create(0.02, 0.01, 5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.merge(TopK.create(0.01, 0.01, 6))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.add("z", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(a.toBytes()).isEqualTo(before);
  }

  @Test
  void longKeysAreTruncatedSoMemoryIsBounded() {
    TopK t = TopK.create(0.01, 0.01, 3);
    String longKey = "x".repeat(255) + "\uD83D\uDE00" + "tail";
    t.add(longKey, 1);
    String listed = t.top().get(0).key();
    assertThat(listed).hasSize(255);
    assertThat(t.estimate(longKey)).isEqualTo(1);
    assertThat(TopK.truncate("y".repeat(1000))).hasSize(TopK.MAX_KEY_LENGTH);
    assertThat(t.sizeInBytes()).isPositive();
  }
}
