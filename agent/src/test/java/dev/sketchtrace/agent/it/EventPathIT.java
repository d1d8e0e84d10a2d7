package dev.sketchtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Test (b): events offered on many threads of a real JVM with the built agent jar reach a stub OTLP
 * receiver, decoded with the official OTLP protobuf classes, with exact counts — in the duration
 * histogram (every event folded) and as spans (always_on sampling keeps every trace) — and a child
 * span links to its parent. The agent's export requests never show up as spans.
 */
class EventPathIT {
  static Stream<Path> javaHomes() {
    return AgentJvm.testJavaHomes().stream();
  }

  @ParameterizedTest
  @MethodSource("javaHomes")
  void everyEventOfeveryThreadIsCountedAndExported(Path javaHome) {
    int threads = 8;
    int perThread = 1000;
    int total = threads * perThread;
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm jvm =
            AgentJvm.builder(ManyThreadsApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath())
                .exportTo(receiver)
                .systemProperty("otel.service.name", "many-threads")
                .systemProperty("otel.traces.sampler", "always_on")
                // Every trace, however fast they come: this test counts spans, not the budget.
                .systemProperty("sketchtrace.traces.max-per-second", "0")
                .args(String.valueOf(threads), String.valueOf(perThread))
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stdout()).contains("agent-active=true");
      assertThat(jvm.stderr()).contains("[sketchtrace] Sketchtrace");

      List<ReceivedMetric> metrics =
          receiver.awaitMetrics(
              m -> ReceivedMetric.histogramCount(m, "sketchtrace.span.duration",
                      Map.of("span.name", "work")) >= total,
              Duration.ofSeconds(20));
      assertThat(ReceivedMetric.histogramCount(metrics, "sketchtrace.span.duration",
          Map.of("span.name", "work"))).isEqualTo(total);
      assertThat(ReceivedMetric.sumValue(metrics, "sketchtrace.agent.queue.dropped", Map.of()))
          .isZero();
      assertThat(metrics.get(0).resource())
          .containsEntry("service.name", "many-threads")
          .containsEntry("telemetry.distro.name", "sketchtrace")
          .containsKeys("host.name", "process.pid", "process.runtime.version", "telemetry.sdk.version");

      List<ReceivedSpan> spans =
          receiver.awaitSpans(s -> s.stream().filter(x -> x.name().equals("work")).count() >= total
                  && s.stream().anyMatch(x -> x.name().equals("parent")), Duration.ofSeconds(20));
      assertThat(spans.stream().filter(s -> s.name().equals("work")).count()).isEqualTo(total);
      ReceivedSpan parent = spans.stream().filter(s -> s.name().equals("parent")).findFirst().get();
      ReceivedSpan child = spans.stream().filter(s -> s.name().equals("child")).findFirst().get();
      assertThat(jvm.stdout()).contains("parent=" + parent.traceId() + "/" + parent.spanId());
      assertThat(child.traceId()).isEqualTo(parent.traceId());
      assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
      assertThat(child.isError()).isTrue();
      assertThat(child.attribute("error.type")).isEqualTo("java.lang.IllegalStateException");
      assertThat(child.events()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
      // The agent's own exports (JDK HTTP client, which the agent instruments) are not recorded.
      assertThat(spans).noneMatch(s -> s.kind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    }
  }
}
