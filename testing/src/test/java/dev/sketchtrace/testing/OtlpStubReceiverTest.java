package dev.sketchtrace.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpStubReceiverTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void decodesGzippedSpansWithTheirResource() throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      Span span = Span.newBuilder()
          .setName("GET /owners/{id}")
          .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0x0b}))
          .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
          .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(200).build()))
          .build();
      ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder()
              .setResource(resource("shop"))
              .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
          .build();

      int status = post(receiver, "/v1/traces", gzip(request.toByteArray()), true);

      assertThat(status).isEqualTo(200);
      ReceivedSpan received = receiver.spans().get(0);
      assertThat(received.name()).isEqualTo("GET /owners/{id}");
      assertThat(received.resource()).containsEntry("service.name", "shop");
      assertThat(received.traceId()).isEqualTo("00000000000000000000000000000a0b");
      assertThat(received.spanId()).isEqualTo("0102030405060708");
      assertThat(received.parentSpanId()).isEmpty();
      assertThat(received.attribute("http.response.status_code")).isEqualTo("200");
    }
  }

  @Test
  void histogramCountSumsDeltaPointsAndTakesTheLatestCumulativePoint() throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 3, "GET"), false);
      post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 4, "GET"), false);
      post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 9, "POST"), false);
      post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, 5, "PUT"), false);
      post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, 8, "PUT"), false);

      assertThat(ReceivedMetric.histogramCount(receiver.metrics(), "d", Map.of("m", "GET"))).isEqualTo(7);
      assertThat(ReceivedMetric.histogramCount(receiver.metrics(), "d", Map.of("m", "PUT"))).isEqualTo(8);
      assertThat(ReceivedMetric.histogramCount(receiver.metrics(), "d", Map.of())).isEqualTo(3 + 4 + 9 + 8);
      assertThat(ReceivedMetric.histogramCount(receiver.metrics(), "other", Map.of())).isZero();
    }
  }

  @Test
  void forcedStatusRejectsAndKeepsNothing() throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      receiver.respondWith(503);
      int status = post(receiver, "/v1/metrics", histogram(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 1, "GET"), false);
      assertThat(status).isEqualTo(503);
      assertThat(receiver.metrics()).isEmpty();
      assertThat(receiver.requestCount("/v1/metrics")).isEqualTo(1);
    }
  }

  @Test
  void awaitFailsWithWhatArrived() {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      assertThatThrownBy(() -> receiver.awaitSpans(spans -> !spans.isEmpty(), Duration.ofMillis(100)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("received 0");
    }
  }

  private int post(OtlpStubReceiver receiver, String path, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static byte[] histogram(AggregationTemporality temporality, long count, String method) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(resource("shop"))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
                .setName("d")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(temporality)
                    .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                        .setCount(count)
                        .addAttributes(kv("m", AnyValue.newBuilder().setStringValue(method).build())))))))
        .build()
        .toByteArray();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(service).build()))
        .build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(raw);
    }
    return out.toByteArray();
  }
}
