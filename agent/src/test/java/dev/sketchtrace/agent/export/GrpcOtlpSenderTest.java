package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.sketchtrace.agent.export.grpc.GrpcCallResult;
import dev.sketchtrace.agent.export.grpc.GrpcStatus;
import dev.sketchtrace.agent.export.grpc.GrpcUnaryClient;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's OTLP/gRPC client against a real grpc-java server on 127.0.0.1: what arrives is
 * decoded with the official OTLP classes and compared field by field; statuses map to retry or
 * reject as the OTLP specification says; one connection serves sequential calls and is replaced
 * when the server goes away; flow control carries a body many times the 65,535-octet window;
 * a server slower than the timeout yields DEADLINE_EXCEEDED.
 */
class GrpcOtlpSenderTest {
  private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void metricsAndSpansArriveExactly(boolean gzip) throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start()) {
      GrpcOtlpSender sender = sender(server.endpoint(), gzip ? "gzip" : "none", TIMEOUT,
          Map.of("x-api-key", "secret-1"));
      try {
        assertThat(sender.sendMetrics(List.of(Telemetry.counter("orders.placed", 42)))
            .kind).isEqualTo(SendResult.Kind.SENT);
        assertThat(sender.sendSpans(Telemetry.spans(1, "a", "b"))
            .kind).isEqualTo(SendResult.Kind.SENT);
      } finally {
        sender.close();
      }
      assertThat(server.metrics).hasSize(1);
      var resourceMetrics = server.metrics.get(0).getResourceMetrics(0);
      assertThat(resourceMetrics.getResource().getAttributesList())
          .containsExactly(kv("service.name", "grpc-test"));
      Metric metric = resourceMetrics.getScopeMetrics(0).getMetrics(0);
      assertThat(resourceMetrics.getScopeMetrics(0).getScope().getName()).isEqualTo("dev.sketchtrace");
      assertThat(metric.getName()).isEqualTo("orders.placed");
      assertThat(metric.getUnit()).isEqualTo("1");
      assertThat(metric.getSum().getIsMonotonic()).isTrue();
      NumberDataPoint point = metric.getSum().getDataPoints(0);
      assertThat(point.getAsInt()).isEqualTo(42);
      assertThat(point.getStartTimeUnixNano()).isEqualTo(1_000L);
      assertThat(point.getTimeUnixNano()).isEqualTo(2_000L);
      assertThat(point.getAttributesList()).containsExactly(kv("route", "/orders"));

      assertThat(server.traces).hasSize(1);
      List<Span> spans = server.traces.get(0).getResourceSpans(0).getScopeSpans(0).getSpansList();
      assertThat(spans).extracting(Span::getName).containsExactly("span-1", "span-2");
      assertThat(spans.get(1).getTraceId()).isEqualTo(spans.get(0).getTraceId());
      assertThat(spans.get(1).getTraceId().size()).isEqualTo(16);
      assertThat(spans.get(1).getSpanId().size()).isEqualTo(8);
      assertThat(spans.get(1).getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(spans.get(1).getEndTimeUnixNano())
          .isGreaterThanOrEqualTo(spans.get(1).getStartTimeUnixNano());
      assertThat(spans.get(1).getAttributesList()).containsExactly(kv("payload", "b"));
      // Both calls went over one connection.
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void configuredHeadersAndTheTimeoutReachTheServer() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start()) {
      GrpcOtlpSender sender = sender(server.endpoint(), "none", TIMEOUT,
          Map.of("Authorization", "Bearer abc", "X-Tenant", "t1"));
      try {
        assertThat(sender.sendMetrics(List.of(Telemetry.counter("c", 1))).kind)
            .isEqualTo(SendResult.Kind.SENT);
      } finally {
        sender.close();
      }
      io.grpc.Metadata h = server.headers.get(0);
      assertThat(h.get(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("Bearer abc");
      assertThat(h.get(io.grpc.Metadata.Key.of("x-tenant", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("t1");
      assertThat(h.get(io.grpc.Metadata.Key.of("user-agent", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
          .startsWith("sketchtrace-agent/");
    }
  }

  @Test
  void aBodyManyTimesTheFlowControlWindowArrivesWhole() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.withFlowControlWindow(65_535)) {
      String payload = "x".repeat(1000);
      String[] payloads = new String[2000];
      for (int i = 0; i < payloads.length; i++) {
        payloads[i] = payload + i;
      }
      GrpcOtlpSender sender = sender(server.endpoint(), "none", TIMEOUT, Map.of());
      try {
        assertThat(sender.sendSpans(Telemetry.spans(0, payloads)).kind).isEqualTo(SendResult.Kind.SENT);
        assertThat(sender.sendSpans(Telemetry.spans(0, Arrays.copyOf(payloads, 10))).kind)
            .isEqualTo(SendResult.Kind.SENT);
      } finally {
        sender.close();
      }
      ExportTraceServiceRequest big = server.traces.get(0);
      assertThat(big.getSerializedSize()).isGreaterThan(30 * 65_535);
      List<Span> received = big.getResourceSpans(0).getScopeSpans(0).getSpansList();
      assertThat(received).hasSize(2000);
      for (int i = 0; i < 2000; i++) {
        assertThat(received.get(i).getName()).isEqualTo("span-" + i);
        assertThat(received.get(i).getAttributes(0).getValue().getStringValue()).isEqualTo(payload + i);
      }
      assertThat(server.traces.get(1).getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(10);
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void statusesMapToRetryOrRejectAsOtlpSays() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start()) {
      GrpcOtlpSender sender = sender(server.endpoint(), "none", TIMEOUT, Map.of());
      List<MetricData> metrics = List.of(Telemetry.counter("c", 1));
      try {
        server.respondWith(r -> Status.UNAVAILABLE.withDescription("busy").asRuntimeException());
        SendResult unavailable = sender.sendMetrics(metrics);
        assertThat(unavailable.kind).isEqualTo(SendResult.Kind.RETRY);
        assertThat(unavailable.detail).contains("UNAVAILABLE").contains("busy");

        server.respondWith(r -> Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException());
        SendResult invalid = sender.sendMetrics(metrics);
        assertThat(invalid.kind).isEqualTo(SendResult.Kind.REJECTED);
        assertThat(invalid.detail).contains("INVALID_ARGUMENT");

        server.respondWith(r -> Status.RESOURCE_EXHAUSTED.asRuntimeException());
        assertThat(sender.sendMetrics(metrics).kind).isEqualTo(SendResult.Kind.REJECTED);

        server.respondWith(r -> StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("slow down")
                .addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(1).setNanos(500_000_000))
                    .build()))
                .build()));
        SendResult exhausted = sender.sendMetrics(metrics);
        assertThat(exhausted.kind).isEqualTo(SendResult.Kind.RETRY);
        assertThat(exhausted.retryDelayMillis).isEqualTo(1500);

        server.respondWith(r -> null);
        assertThat(sender.sendMetrics(metrics).kind).isEqualTo(SendResult.Kind.SENT);
      } finally {
        sender.close();
      }
      assertThat(server.metrics).hasSize(5);
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void trailersOnlyErrorsCarryTheirDecodedMessage() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start();
        GrpcUnaryClient client = client(server.endpoint(), TIMEOUT)) {
      server.respondWith(r -> Status.PERMISSION_DENIED.withDescription("100% forbidden: é ✓")
          .asRuntimeException());
      GrpcCallResult result = client.call(GrpcOtlpSender.METRICS_PATH, new byte[0]);
      assertThat(result.code()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(result.message()).isEqualTo("100% forbidden: é ✓");
      assertThat(result.isRetryable()).isFalse();

      GrpcCallResult unknownMethod = client.call("/no.such.Service/Export", new byte[0]);
      assertThat(unknownMethod.code()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
      assertThat(unknownMethod.isRetryable()).isFalse();
    }
  }

  @Test
  void aServerThatWentAwayIsReplacedByANewConnection() throws Exception {
    int port;
    GrpcOtlpSender sender;
    try (OtlpGrpcTestServer first = OtlpGrpcTestServer.start()) {
      port = first.port();
      sender = sender(first.endpoint(), "none", TIMEOUT, Map.of());
      assertThat(sender.sendMetrics(List.of(Telemetry.counter("before", 1))).kind)
          .isEqualTo(SendResult.Kind.SENT);
    } // closed: GOAWAY and the socket closes under the client's idle connection
    try {
      SendResult down = sender.sendMetrics(List.of(Telemetry.counter("down", 1)));
      assertThat(down.kind).isEqualTo(SendResult.Kind.RETRY);
      assertThat(down.detail).contains("UNAVAILABLE");
      try (OtlpGrpcTestServer second = OtlpGrpcTestServer.start(port)) {
        assertThat(sender.sendMetrics(List.of(Telemetry.counter("after", 2))).kind)
            .isEqualTo(SendResult.Kind.SENT);
        assertThat(second.metrics.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName())
            .isEqualTo("after");
      }
    } finally {
      sender.close();
    }
  }

  @Test
  void aRestartedServerIsReachedWithoutAFailedCall() throws Exception {
    try (OtlpGrpcTestServer first = OtlpGrpcTestServer.start()) {
      int port = first.port();
      GrpcOtlpSender sender = sender(first.endpoint(), "none", TIMEOUT, Map.of());
      try {
        assertThat(sender.sendMetrics(List.of(Telemetry.counter("one", 1))).kind)
            .isEqualTo(SendResult.Kind.SENT);
        first.close();
        try (OtlpGrpcTestServer second = OtlpGrpcTestServer.start(port)) {
          // The idle connection is dead; the client notices and sends on a new one.
          assertThat(sender.sendMetrics(List.of(Telemetry.counter("two", 2))).kind)
              .isEqualTo(SendResult.Kind.SENT);
          assertThat(second.metrics).hasSize(1);
        }
      } finally {
        sender.close();
      }
    }
  }

  @Test
  void nothingListeningIsRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (GrpcUnaryClient client = client("http://127.0.0.1:" + port, TIMEOUT)) {
      GrpcCallResult result = client.call(GrpcOtlpSender.METRICS_PATH, new byte[0]);
      assertThat(result.code()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(result.isRetryable()).isTrue();
    }
  }

  @Test
  void aServerSlowerThanTheTimeoutGivesDeadlineExceededAndTheNextCallWorks() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start();
        GrpcUnaryClient client = client(server.endpoint(), java.time.Duration.ofMillis(300))) {
      CountDownLatch release = new CountDownLatch(1);
      server.respondWith(r -> {
        release.await(20, TimeUnit.SECONDS);
        return null;
      });
      GrpcCallResult slow = client.call(GrpcOtlpSender.METRICS_PATH, new byte[0]);
      // The client's deadline, or the server's own from grpc-timeout: either is retryable.
      assertThat(slow.code()).isIn(GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.CANCELLED);
      assertThat(slow.isRetryable()).isTrue();
      release.countDown();
      server.respondWith(r -> null);
      assertThat(client.call(GrpcOtlpSender.METRICS_PATH, new byte[0]).isOk()).isTrue();
    }
  }

  private static GrpcOtlpSender sender(String endpoint, String compression,
      java.time.Duration timeout, Map<String, String> headers) {
    OtlpEndpoints endpoints = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, endpoint, null, null, null);
    return new GrpcOtlpSender(new ExportSettings(endpoints, headers, compression, timeout, true,
        true, false, 6, 3, java.time.Duration.ofMillis(10)), null);
  }

  private static GrpcUnaryClient client(String endpoint, java.time.Duration timeout) {
    return new GrpcUnaryClient(URI.create(endpoint), Map.of(), false, timeout, "test", null);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
