package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

  @Test
  void currentIsTheExactMergeOfTheLastNBucketsAndPreviousTheNBefore() {
    AtomicLong clock = new AtomicLong(1_000_000);
    SlidingWindow<QuantileSketch> w = SlidingWindow.ofQuantiles(Duration.ofMinutes(5), 10, clock::get);
    SplittableRandom r = new SplittableRandom(1);
    QuantileSketch expectedCurrent = QuantileSketch.forLatencies();
    QuantileSketch expectedPrevious = QuantileSketch.forLatencies();
    long start = clock.get();
    long slot = 30_000;
    long firstSlot = Math.floorDiv(start, slot);
    // 25 slots of data: slots 0..4 expire, 5..14 are "previous", 15..24 "current".
    for (int s = 0; s < 25; s++) {
      clock.set((firstSlot + s) * slot + r.nextLong(slot));
      for (int i = 0; i < 200; i++) {
        long v = 1 + r.nextLong(10_000);
        w.live().add(v);
        if (s >= 15) {
          expectedCurrent.add(v);
        } else if (s >= 5) {
          expectedPrevious.add(v);
        }
      }
    }
    assertThat(w.current().toBytes()).isEqualTo(expectedCurrent.toBytes());
    assertThat(w.previous().toBytes()).isEqualTo(expectedPrevious.toBytes());
    List<QuantileSketch> series = w.bucketSeries();
    assertThat(series).hasSize(20);
    assertThat(series.stream().mapToLong(QuantileSketch::count).sum()).isEqualTo(4000);
  }

  @Test
  void idleTimeEmptiesTheWindowAndMemoryStaysConstant() {
    AtomicLong clock = new AtomicLong();
    SlidingWindow<HyperLogLog> w = SlidingWindow.of(Duration.ofSeconds(10), 5, () -> new HyperLogLog(10), clock::get);
    long size = w.sizeInBytes();
    for (int i = 0; i < 1000; i++) {
      clock.addAndGet(100);
      w.live().addLong(i);
    }
    // now = 100 000 ms: the window is slots [92 000, 102 000), which hold 81 of the values
    assertThat(w.current().estimate()).isBetween(75.0, 87.0);
    assertThat(w.sizeInBytes()).isEqualTo(size);
    clock.addAndGet(10_000);
    assertThat(w.current().isEmpty()).isTrue();
    assertThat(w.previous().estimate()).isBetween(75.0, 87.0);
    clock.addAndGet(60_000);
    assertThat(w.previous().isEmpty()).isTrue();
  }

  @Test
  void aClockGoingBackwardsKeepsTheLatestSlot() {
    AtomicLong clock = new AtomicLong(100_000);
    SlidingWindow<QuantileSketch> w = SlidingWindow.ofQuantiles(Duration.ofSeconds(10), 10, clock::get);
    w.live().add(1);
    clock.set(50_000);
    w.live().add(2);
    assertThat(w.current().count()).isEqualTo(2);
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatThrownBy(() -> SlidingWindow.ofQuantiles(Duration.ofMillis(10), 3, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SlidingWindow.ofQuantiles(Duration.ofSeconds(1), 0, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
