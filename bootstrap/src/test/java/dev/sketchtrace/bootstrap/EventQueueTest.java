package dev.sketchtrace.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  @Test
  void aFullQueueDropsAndCountsAndEndCountsOnce() {
    EventQueue.install(16);
    long droppedBefore = EventQueue.droppedCount();
    long offeredBefore = EventQueue.offeredCount();
    for (int i = 0; i < 20; i++) {
      CustomSpan span = new CustomSpan(null, "e", SpanKind.INTERNAL);
      span.end();
      span.end(); // a second end is ignored
    }
    assertThat(EventQueue.offeredCount() - offeredBefore).isEqualTo(16);
    assertThat(EventQueue.droppedCount() - droppedBefore).isEqualTo(4);
    List<SpanEvent> drained = new ArrayList<>();
    assertThat(EventQueue.drain(drained::add, 100)).isEqualTo(16);
    assertThat(drained).allSatisfy(e -> assertThat(e.isEnded()).isTrue());
    assertThat(EventQueue.depth()).isZero();
  }

  @Test
  void childrenShareTraceAndLocalRoot() {
    EventQueue.install(16);
    HeadSampler.configure(1.0, true);
    CustomSpan root = new CustomSpan(null, "root", SpanKind.SERVER);
    CustomSpan child = new CustomSpan(root, "child", SpanKind.CLIENT);
    assertThat(child.traceIdHigh()).isEqualTo(root.traceIdHigh());
    assertThat(child.traceIdLow()).isEqualTo(root.traceIdLow());
    assertThat(child.parentSpanId()).isEqualTo(root.spanId());
    assertThat(child.localRoot()).isSameAs(root);
    assertThat(root.isLocalRoot()).isTrue();
    assertThat(root.isHeadSampled()).isTrue();
  }

  @Test
  void headSamplerRatioZeroSamplesNothingAndParentBasedFollowsTheRemoteFlag() {
    HeadSampler.configure(0.0, true);
    try {
      assertThat(new CustomSpan(null, "r", SpanKind.INTERNAL).isHeadSampled()).isFalse();
      HttpServerSpan remoteSampled =
          new HttpServerSpan("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");
      assertThat(remoteSampled.isHeadSampled()).isTrue();
      assertThat(remoteSampled.isParentRemote()).isTrue();
      assertThat(remoteSampled.traceState()).isEqualTo("k=v");
    } finally {
      HeadSampler.configure(1.0, true);
    }
  }

  @Test
  void callDepthCountsNestingPerKindAndNeverGoesNegative() {
    assertThat(CallDepth.enter(CallDepth.JDBC_STATEMENT)).isZero();
    assertThat(CallDepth.enter(CallDepth.JDBC_STATEMENT)).isEqualTo(1);
    assertThat(CallDepth.enter(CallDepth.HTTP_CLIENT)).isZero();
    assertThat(CallDepth.exit(CallDepth.HTTP_CLIENT)).isZero();
    assertThat(CallDepth.exit(CallDepth.JDBC_STATEMENT)).isEqualTo(1);
    assertThat(CallDepth.exit(CallDepth.JDBC_STATEMENT)).isZero();
    assertThat(CallDepth.exit(CallDepth.JDBC_STATEMENT)).isZero();
    assertThat(CallDepth.enter(CallDepth.JDBC_STATEMENT)).isZero();
    CallDepth.exit(CallDepth.JDBC_STATEMENT);
  }
}
