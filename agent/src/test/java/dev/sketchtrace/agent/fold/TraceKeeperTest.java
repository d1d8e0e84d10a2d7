package dev.sketchtrace.agent.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which local traces the keeper keeps when none is head-sampled, and that reused buffers start empty. */
class TraceKeeperTest {
  private final List<SpanEvent> kept = new ArrayList<>();
  private final TraceKeeper keeper = new TraceKeeper(1000, kept::add);

  @BeforeEach
  void noTraceIsHeadSampled() {
    HeadSampler.configure(0.0, true);
  }

  @AfterEach
  void tearDown() {
    HeadSampler.configure(1.0, true);
  }

  @Test
  void aTraceIsKeptWholeWhenAChildFailedAndTheNextTraceStartsClean() {
    CustomSpan dropped = root();
    keeper.onSpan(child(dropped), false, false);
    keeper.onSpan(dropped, false, false);
    CustomSpan failedRoot = root();
    CustomSpan failedChild = child(failedRoot);
    keeper.onSpan(failedChild, true, false);
    keeper.onSpan(failedRoot, false, false);
    CustomSpan quiet = root();
    keeper.onSpan(child(quiet), false, false);
    keeper.onSpan(quiet, false, false);

    assertThat(kept).containsExactly(failedChild, failedRoot);
    assertThat(keeper.bufferedSpans()).isZero();
  }

  @Test
  void aSlowRootKeepsTheChildrenThatEndedBeforeIt() {
    CustomSpan slow = root();
    CustomSpan first = child(slow);
    CustomSpan second = child(slow);
    keeper.onSpan(first, false, false);
    keeper.onSpan(second, false, false);
    keeper.onSpan(slow, false, true);
    CustomSpan late = child(slow);
    keeper.onSpan(late, false, false); // ends after its root: follows the remembered decision

    assertThat(kept).containsExactly(first, second, slow, late);
  }

  @Test
  void aTraceWhoseRootNeverEndsIsDroppedAfterItsWindows() {
    CustomSpan open = root();
    keeper.onSpan(child(open), true, false);
    for (int i = 0; i < TraceKeeper.MAX_WINDOWS_OPEN; i++) {
      keeper.closeWindow();
    }

    assertThat(keeper.droppedSpans()).isEqualTo(1);
    assertThat(keeper.bufferedSpans()).isZero();
    CustomSpan next = root();
    keeper.onSpan(child(next), false, false);
    keeper.onSpan(next, false, false);
    assertThat(kept).isEmpty();
  }

  private static CustomSpan root() {
    CustomSpan root = new CustomSpan(null, "root", SpanKind.SERVER);
    assertThat(root.isHeadSampled()).isFalse();
    return root;
  }

  private static CustomSpan child(SpanEvent parent) {
    return new CustomSpan(parent, "child", SpanKind.CLIENT);
  }
}
