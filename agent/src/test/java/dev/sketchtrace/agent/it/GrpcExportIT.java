package dev.sketchtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.agent.export.OtlpGrpcTestServer;
import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real agent jar in a child JVM exports with {@code otel.exporter.otlp.protocol=grpc} (gzip) to
 * a grpc-java server: every event is counted in the duration histogram and every span arrives,
 * decoded with the official OTLP classes. Sketches are switched off: {@code /v1/sketches} is HTTP
 * only, and port 4318 of this machine may belong to someone else's collector.
 */
class GrpcExportIT {
  static Stream<Path> javaHomes() {
    return AgentJvm.testJavaHomes().stream();
  }

  @ParameterizedTest
  @MethodSource("javaHomes")
  void eventsReachAGrpcReceiver(Path javaHome) throws Exception {
    int threads = 4;
    int perThread = 500;
    int total = threads * perThread;
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start();
        RunningJvm jvm =
            AgentJvm.builder(ManyThreadsApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath())
                .systemProperty("otel.exporter.otlp.protocol", "grpc")
                .systemProperty("otel.exporter.otlp.endpoint", server.endpoint())
                .systemProperty("otel.exporter.otlp.compression", "gzip")
                .systemProperty("sketchtrace.export.interval", "500ms")
                .systemProperty("sketchtrace.sketches.enabled", "false")
                .systemProperty("otel.service.name", "grpc-app")
                .systemProperty("otel.traces.sampler", "always_on")
                // Every trace, however fast they come: this test counts spans, not the budget.
                .systemProperty("sketchtrace.traces.max-per-second", "0")
                .args(String.valueOf(threads), String.valueOf(perThread))
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stderr()).contains("export: otlp grpc " + server.endpoint());
      assertThat(jvm.stderr()).doesNotContain("not supported");

      List<ReceivedMetric> metrics = await(() -> metrics(server),
          m -> ReceivedMetric.histogramCount(m, "sketchtrace.span.duration",
              Map.of("span.name", "work")) >= total);
      assertThat(ReceivedMetric.histogramCount(metrics, "sketchtrace.span.duration",
          Map.of("span.name", "work"))).isEqualTo(total);
      assertThat(metrics.get(0).resource()).containsEntry("service.name", "grpc-app");
      assertThat(ReceivedMetric.sumValue(metrics, "sketchtrace.agent.export.failures", Map.of()))
          .isZero();

      List<ReceivedSpan> spans = await(() -> spans(server),
          s -> s.stream().filter(x -> x.name().equals("work")).count() >= total);
      assertThat(spans.stream().filter(s -> s.name().equals("work")).count()).isEqualTo(total);
      ReceivedSpan parent = spans.stream().filter(s -> s.name().equals("parent")).findFirst().get();
      ReceivedSpan child = spans.stream().filter(s -> s.name().equals("child")).findFirst().get();
      assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
    }
  }

  private static <T> List<T> await(Supplier<List<T>> read,
      java.util.function.Predicate<List<T>> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<T> items = read.get();
    while (!done.test(items) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      items = read.get();
    }
    return items;
  }

  private static List<ReceivedMetric> metrics(OtlpGrpcTestServer server) {
    List<ReceivedMetric> out = new ArrayList<>();
    for (ExportMetricsServiceRequest request : server.metrics) {
      request.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
          sm.getMetricsList().forEach(m ->
              out.add(new ReceivedMetric(strings(rm.getResource().getAttributesList()), m)))));
    }
    return out;
  }

  private static List<ReceivedSpan> spans(OtlpGrpcTestServer server) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ExportTraceServiceRequest request : server.traces) {
      request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
          ss.getSpansList().forEach(s ->
              out.add(new ReceivedSpan(strings(rs.getResource().getAttributesList()), s)))));
    }
    return out;
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      if (kv.getValue().hasStringValue()) {
        map.put(kv.getKey(), kv.getValue().getStringValue());
      }
    }
    return map;
  }
}
