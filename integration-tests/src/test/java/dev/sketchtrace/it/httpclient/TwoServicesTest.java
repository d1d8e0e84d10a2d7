package dev.sketchtrace.it.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A request crossing two servlet apps (embedded Tomcat, {@link ChainedService}) is one trace:
 * server → client → server with correct parents — with Sketchtrace on both JVMs, and with the
 * OpenTelemetry Java agent on either side (interop: each continues the other's W3C context).
 */
class TwoServicesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern READY = Pattern.compile("READY (\\d+)");

  @Test
  void sketchtraceOnBothSidesMakesOneTrace() throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm back = sketchtrace("back", "-", receiver).start()) {
      int backPort = port(back);
      try (RunningJvm front = sketchtrace("front", "http://127.0.0.1:" + backPort, receiver).start()) {
        assertThat(call(port(front))).isEqualTo("front:200:back");

        List<ReceivedSpan> spans = receiver.awaitSpans(s -> find(s, "back", Span.SpanKind.SPAN_KIND_SERVER).isPresent()
            && find(s, "front", Span.SpanKind.SPAN_KIND_CLIENT).isPresent()
            && find(s, "front", Span.SpanKind.SPAN_KIND_SERVER).isPresent(), WAIT);
        ReceivedSpan frontServer = find(spans, "front", Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();
        ReceivedSpan frontClient = find(spans, "front", Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        ReceivedSpan backServer = find(spans, "back", Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();

        assertThat(frontServer.parentSpanId()).isEmpty();
        assertThat(frontClient.parentSpanId()).isEqualTo(frontServer.spanId());
        assertThat(backServer.parentSpanId()).isEqualTo(frontClient.spanId());
        assertThat(Stream.of(frontServer, frontClient, backServer).map(ReceivedSpan::traceId).distinct()).hasSize(1);
        assertThat(frontClient.attribute("url.full")).isEqualTo("http://127.0.0.1:" + backPort + "/back");
      }
    }
  }

  @Test
  void openTelemetryServerContinuesOurClientSpan() throws Exception {
    try (OtlpStubReceiver ours = OtlpStubReceiver.start();
        OtlpStubReceiver theirs = OtlpStubReceiver.start();
        RunningJvm back = openTelemetry("back", "-", theirs).start()) {
      int backPort = port(back);
      try (RunningJvm front = sketchtrace("front", "http://127.0.0.1:" + backPort, ours).start()) {
        assertThat(call(port(front))).isEqualTo("front:200:back");

        ReceivedSpan ourClient = find(ours.awaitSpans(
            s -> find(s, "front", Span.SpanKind.SPAN_KIND_CLIENT).isPresent(), WAIT), "front", Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        ReceivedSpan theirServer = find(theirs.awaitSpans(
            s -> find(s, "back", Span.SpanKind.SPAN_KIND_SERVER).isPresent(), WAIT), "back", Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();

        assertThat(theirServer.traceId()).isEqualTo(ourClient.traceId());
        assertThat(theirServer.parentSpanId()).isEqualTo(ourClient.spanId());
      }
    }
  }

  @Test
  void ourServerContinuesAnOpenTelemetryClientSpan() throws Exception {
    try (OtlpStubReceiver ours = OtlpStubReceiver.start();
        OtlpStubReceiver theirs = OtlpStubReceiver.start();
        RunningJvm back = sketchtrace("back", "-", ours).start()) {
      int backPort = port(back);
      try (RunningJvm front = openTelemetry("front", "http://127.0.0.1:" + backPort, theirs).start()) {
        assertThat(call(port(front))).isEqualTo("front:200:back");

        ReceivedSpan theirClient = find(theirs.awaitSpans(
            s -> find(s, "front", Span.SpanKind.SPAN_KIND_CLIENT).isPresent(), WAIT), "front", Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        ReceivedSpan ourServer = find(ours.awaitSpans(
            s -> find(s, "back", Span.SpanKind.SPAN_KIND_SERVER).isPresent(), WAIT), "back", Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();

        assertThat(ourServer.traceId()).isEqualTo(theirClient.traceId());
        assertThat(ourServer.parentSpanId()).isEqualTo(theirClient.spanId());
      }
    }
  }

  private static AgentJvm.Builder sketchtrace(String service, String downstream, OtlpStubReceiver receiver) {
    return AgentJvm.builder(ChainedService.class.getName())
        .exportTo(receiver)
        .systemProperty("otel.service.name", service)
        .args(downstream);
  }

  private static AgentJvm.Builder openTelemetry(String service, String downstream, OtlpStubReceiver receiver)
      throws IOException {
    return AgentJvm.builder(ChainedService.class.getName())
        .agentJar(openTelemetryAgentJar())
        .systemProperty("otel.service.name", service)
        .systemProperty("otel.exporter.otlp.endpoint", receiver.endpoint())
        .systemProperty("otel.exporter.otlp.protocol", "http/protobuf")
        .systemProperty("otel.metrics.exporter", "none")
        .systemProperty("otel.logs.exporter", "none")
        .systemProperty("otel.bsp.schedule.delay", "200")
        .systemProperty("otel.javaagent.logging", "none")
        .args(downstream);
  }

  static Path openTelemetryAgentJar() throws IOException {
    Path dir = Paths.get(System.getProperty("sketchtrace.libs.dir"), "otel-agent");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no OpenTelemetry agent jar in " + dir));
    }
  }

  private static int port(RunningJvm jvm) {
    jvm.awaitOutput("READY ", Duration.ofSeconds(240)); // the OpenTelemetry agent starts slowly on a loaded box
    Matcher matcher = READY.matcher(jvm.stdout());
    assertThat(matcher.find()).as(jvm.stdout()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static String call(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/front")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static Optional<ReceivedSpan> find(List<ReceivedSpan> spans, String service, Span.SpanKind kind) {
    Predicate<ReceivedSpan> match = s -> service.equals(s.resource().get("service.name")) && s.kind() == kind;
    return spans.stream().filter(match).findFirst();
  }
}
