package dev.sketchtrace.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadSamplerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final String SAMPLED_PARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String UNSAMPLED_PARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

  @AfterEach
  void restoreDefault() {
    HeadSampler.configure(1.0, true);
  }

  @Test
  void theBudgetAllowsMaxTracesPerSecondAndRefillsTheNextSecond() {
    HeadSampler.configure(1.0, true, 3);
    assertThat(takes(3, 3, 10 * SECOND)).isEqualTo(3);
    assertThat(takes(3, 5, 10 * SECOND + SECOND / 2)).isZero();
    assertThat(takes(3, 5, 11 * SECOND)).isEqualTo(3);
    assertThat(takes(3, 5, 13 * SECOND + SECOND - 1)).isEqualTo(3);
  }

  @Test
  void aClockReadingOlderThanTheCurrentSecondCountsAgainstTheCurrentSecond() {
    HeadSampler.configure(1.0, true, 2);
    assertThat(HeadSampler.withinBudget(2, 5 * SECOND)).isTrue();
    assertThat(HeadSampler.withinBudget(2, 4 * SECOND)).isTrue();
    assertThat(HeadSampler.withinBudget(2, 4 * SECOND)).isFalse();
    assertThat(HeadSampler.withinBudget(2, 5 * SECOND)).isFalse();
  }

  @Test
  void racingThreadsNeverTakeMoreThanTheBudget() throws InterruptedException {
    HeadSampler.configure(1.0, true, 1000);
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        taken.addAndGet(takes(1000, 700, 7 * SECOND));
      });
      threads[t].start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(taken.get()).isEqualTo(1000);
  }

  @Test
  void newTracesUseTheBudgetAndRemoteParentsDecideAloneWhenParentBased() {
    // A budget of one: unless this test's second boundary falls between the first two spans, the
    // second new trace is over budget; remote parents are obeyed either way.
    HeadSampler.configure(1.0, true, 1);
    int sampledNew = 0;
    for (int i = 0; i < 3; i++) {
      sampledNew += new CustomSpan(null, "new", SpanKind.SERVER).isHeadSampled() ? 1 : 0;
    }
    assertThat(sampledNew).isBetween(1, 2);
    for (int i = 0; i < 5; i++) {
      assertThat(new HttpServerSpan(SAMPLED_PARENT, null).isHeadSampled()).isTrue();
      assertThat(new HttpServerSpan(UNSAMPLED_PARENT, null).isHeadSampled()).isFalse();
    }
  }

  @Test
  void theBudgetCountsTheSecondOfTheSpansOwnStartTime() {
    HeadSampler.configure(1.0, true, 1);
    long start = System.nanoTime() + 10 * SECOND; // a second no other reading of this test reaches
    assertThat(new DbClientSpan(null, start).isHeadSampled()).isTrue();
    assertThat(new DbClientSpan(null, start + SECOND / 10).isHeadSampled()).isFalse();
    assertThat(new DbClientSpan(null, start + 2 * SECOND).isHeadSampled()).isTrue();
  }

  @Test
  void withoutParentBasedRemoteChildrenAreDecidedHereUnderTheBudget() {
    HeadSampler.configure(1.0, false, HeadSampler.MAX_BUDGET);
    assertThat(new HttpServerSpan(UNSAMPLED_PARENT, null).isHeadSampled()).isTrue();
    HeadSampler.configure(0.0, false, HeadSampler.MAX_BUDGET);
    assertThat(new HttpServerSpan(SAMPLED_PARENT, null).isHeadSampled()).isFalse();
  }

  @Test
  void theRatioDecidesBeforeTheBudgetAndChildrenFollowTheirRoot() {
    HeadSampler.configure(0.0, true, 5);
    CustomSpan root = new CustomSpan(null, "root", SpanKind.SERVER);
    assertThat(root.isHeadSampled()).isFalse();
    assertThat(new CustomSpan(root, "child", SpanKind.CLIENT).isHeadSampled()).isFalse();
    // The refused trace took nothing from the budget.
    assertThat(takes(5, 5, 0)).isEqualTo(5);
  }

  @Test
  void zeroAndOversizedBudgetsMeanNoBudget() {
    HeadSampler.configure(1.0, true, 0);
    assertThat(sampledNewTraces(50)).isEqualTo(50);
    HeadSampler.configure(1.0, true, Integer.MAX_VALUE);
    assertThat(sampledNewTraces(50)).isEqualTo(50);
  }

  private static int takes(int max, int attempts, long elapsedNanos) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (HeadSampler.withinBudget(max, elapsedNanos)) {
        taken++;
      }
    }
    return taken;
  }

  private static int sampledNewTraces(int n) {
    int sampled = 0;
    for (int i = 0; i < n; i++) {
      sampled += new CustomSpan(null, "t", SpanKind.INTERNAL).isHeadSampled() ? 1 : 0;
    }
    return sampled;
  }
}
