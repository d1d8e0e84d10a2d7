package dev.sketchtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.RunningJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests (a), (c), (d) and (e) of issue 2, each in a real JVM started with the built agent jar, on
 * every JDK of {@link AgentJvm#testJavaHomes()}.
 */
class IsolationAndSafetyIT {
  static Stream<Path> javaHomes() {
    return AgentJvm.testJavaHomes().stream();
  }

  /** (a) An app with its own, other versions of Byte Buddy, OpenTelemetry API, JCTools runs unchanged. */
  @ParameterizedTest
  @MethodSource("javaHomes")
  void appWithClashingLibraryVersionsRunsUnchanged(Path javaHome) throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm jvm =
            AgentJvm.builder(ClashingLibrariesApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath(ChildJvms.clashingLibraries()))
                .exportTo(receiver)
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stdout())
          .contains("bytebuddy=generated from ").contains("byte-buddy-1.14.19.jar")
          .contains("jctools=queued from ").contains("jctools-core-3.3.0.jar")
          .contains("otel=true from ").contains("opentelemetry-api-1.42.1.jar")
          .contains("done");
      assertThat(jvm.stderr()).contains("[sketchtrace] Sketchtrace").doesNotContain("Exception");
      // The agent worked alongside: its own metrics arrived.
      receiver.awaitMetrics(
          m -> m.stream().anyMatch(x -> x.name().equals("sketchtrace.agent.queue.depth")),
          Duration.ofSeconds(20));
    }
  }

  /** (c) A full queue drops and counts, never blocks: folded + dropped is exactly what was offered. */
  @ParameterizedTest
  @MethodSource("javaHomes")
  void fullQueueDropsAndCountsWithoutBlocking(Path javaHome) {
    int offered = 5000;
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm jvm =
            AgentJvm.builder(ProbeApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath())
                .exportTo(receiver)
                .systemProperty("sketchtrace.queue.capacity", "16")
                // The folder starts late, so the app fills the 16 slots and overflows them.
                .systemProperty("sketchtrace.pipeline.start-delay", "3s")
                .systemProperty("otel.traces.sampler", "always_off")
                // All spans at once, then the app stays 5 s so the folder starts while it runs.
                .args(String.valueOf(offered), "5000", "1")
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stdout()).contains("emitted=" + offered);
      List<ReceivedMetric> metrics =
          receiver.awaitMetrics(
              m -> folded(m) + ReceivedMetric.sumValue(m, "sketchtrace.agent.queue.dropped", Map.of())
                  >= offered,
              Duration.ofSeconds(20));
      long dropped = ReceivedMetric.sumValue(metrics, "sketchtrace.agent.queue.dropped", Map.of());
      assertThat(dropped).isPositive();
      assertThat(folded(metrics)).isLessThanOrEqualTo(16).isPositive();
      assertThat(folded(metrics) + dropped).isEqualTo(offered);
    }
  }

  /** (d) Receiver failing → the app is unaffected, failures are counted, pending data is bounded. */
  @ParameterizedTest
  @MethodSource("javaHomes")
  void failingReceiverLeavesAppUnaffectedAndIsCounted(Path javaHome) {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      receiver.respondWith(503);
      try (RunningJvm jvm =
          AgentJvm.builder(ProbeApp.class.getName())
              .javaHome(javaHome)
              .classpath(ChildJvms.appClasspath())
              .exportTo(receiver)
              .systemProperty("sketchtrace.export.interval", "200ms")
              .systemProperty("sketchtrace.export.max-pending-batches", "2")
              .systemProperty("otel.traces.sampler", "always_on")
              .args("50", "100", "150")
              .start()) {
        // The backend fails until the agent has tried (and failed) several times...
        await(() -> receiver.requestCount("/v1/metrics") >= 8, Duration.ofSeconds(40));
        receiver.respondWith(0);
        // ...then recovers: later exports report the failures, and the batches dropped because at
        // most two windows are kept pending — memory stays bounded while the backend is down.
        List<ReceivedMetric> metrics =
            receiver.awaitMetrics(
                m -> ReceivedMetric.sumValue(m, "sketchtrace.agent.export.failures", Map.of()) > 0
                    && ReceivedMetric.sumValue(m, "sketchtrace.agent.export.dropped_batches", Map.of()) > 0,
                Duration.ofSeconds(30));
        assertThat(ReceivedMetric.sumValue(metrics, "sketchtrace.agent.export.failures", Map.of()))
            .isPositive();
        // The app went on unaffected: it emitted every span and ended normally.
        assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
        assertThat(jvm.stdout()).contains("emitted=7500", "done");
      }
    }
  }

  /** (e) sketchtrace.enabled=false: nothing appended, installed, started or sent. */
  @ParameterizedTest
  @MethodSource("javaHomes")
  void disabledAgentDoesNothingAtAll(Path javaHome) {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm jvm =
            AgentJvm.builder(ProbeApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath())
                .exportTo(receiver)
                .systemProperty("sketchtrace.enabled", "false")
                .args("100", "1500", "1")
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stdout())
          .contains("bootstrap-classes=false")
          .contains("agent-active=false")
          .contains("agent-threads=[]")
          .contains("emitted=100");
      assertThat(jvm.stderr()).doesNotContain("sketchtrace");
      assertThat(receiver.requestCount("/v1/metrics") + receiver.requestCount("/v1/traces")).isZero();
    }
  }

  private static long folded(List<ReceivedMetric> metrics) {
    return ReceivedMetric.histogramCount(metrics, "sketchtrace.span.duration", Map.of("span.name", "probe"));
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition not met within " + timeout).isNegative();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
