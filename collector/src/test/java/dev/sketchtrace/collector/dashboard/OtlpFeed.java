package dev.sketchtrace.collector.dashboard;

import com.google.protobuf.ByteString;
import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.QuantileSketch;
import dev.sketchtrace.sketch.TopK;
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
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test helper: sends OTLP/HTTP protobuf (metrics as delta exponential histograms at chosen times,
 * spans) and the agent's {@code /v1/sketches} JSON to a collector, the way an agent would, but with the
 * timestamps under the test's control so a "previous" and a "current" window exist without waiting.
 */
final class OtlpFeed {
  private final String base;
  private final String service;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Metric> metrics = new ArrayList<>();

  OtlpFeed(String otlpHttpBase, String service) {
    this.base = otlpHttpBase;
    this.service = service;
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private Resource resource() {
    return Resource.newBuilder().addAttributes(kv("service.name", service)).build();
  }

  /** Queues one delta point of {@code metric} holding {@code latencies} (seconds) at {@code timeMillis}. */
  OtlpFeed histogram(String metric, Map<String, String> attributes, long timeMillis, long stepMillis, double[] latencies) {
    QuantileSketch q = QuantileSketch.forLatencies();
    for (double v : latencies) q.add(v);
    ExponentialHistogramDataPoint.Buckets.Builder pos =
        ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(q.positiveOffset());
    for (long c : q.positiveCounts()) pos.addBucketCounts(c);
    ExponentialHistogramDataPoint.Builder p =
        ExponentialHistogramDataPoint.newBuilder()
            .setStartTimeUnixNano((timeMillis - stepMillis) * 1_000_000L)
            .setTimeUnixNano(timeMillis * 1_000_000L)
            .setCount(q.count())
            .setSum(q.sum())
            .setMin(q.min())
            .setMax(q.max())
            .setScale(q.scale())
            .setZeroCount(q.zeroCount())
            .setZeroThreshold(q.zeroThreshold())
            .setPositive(pos);
    attributes.forEach((k, v) -> p.addAttributes(kv(k, v)));
    metrics.add(
        Metric.newBuilder()
            .setName(metric)
            .setUnit("s")
            .setExponentialHistogram(
                ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(p))
            .build());
    return this;
  }

  /** Sends the queued metrics in one request. */
  void flushMetrics() throws IOException, InterruptedException {
    ExportMetricsServiceRequest req =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(resource()).addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
            .build();
    post("/v1/metrics", "application/x-protobuf", req.toByteArray());
    metrics.clear();
  }

  /** The agent's top-SQL (by time and by calls) and distinct-statement sketches for one interval. */
  void sketches(Map<String, long[]> statementCallsAndNanos, long timeMillis) throws IOException, InterruptedException {
    TopK byTime = TopK.create(0.001, 0.01, 50);
    TopK byCalls = TopK.create(0.001, 0.01, 50);
    HyperLogLog distinct = HyperLogLog.create();
    statementCallsAndNanos.forEach((sql, cn) -> {
      byCalls.add(sql, cn[0]);
      byTime.add(sql, cn[1]);
      distinct.addString(sql);
    });
    Base64.Encoder b64 = Base64.getEncoder();
    String json =
        "{\"resource\": {\"service.name\": \"" + service + "\"},"
            + "\"timeUnixNano\": \"" + timeMillis * 1_000_000L + "\", \"intervalStartUnixNano\": \"" + (timeMillis - 10_000) * 1_000_000L + "\","
            + "\"sketches\": ["
            + "{\"metric\": \"db.client.operation.duration\", \"kind\": \"topk_time\", \"attributes\": {}, \"data\": \"" + b64.encodeToString(byTime.toBytes()) + "\"},"
            + "{\"metric\": \"db.client.operation.duration\", \"kind\": \"topk_calls\", \"attributes\": {}, \"data\": \"" + b64.encodeToString(byCalls.toBytes()) + "\"},"
            + "{\"metric\": \"db.client.operation.duration\", \"kind\": \"hll\", \"attributes\": {}, \"data\": \"" + b64.encodeToString(distinct.toBytes()) + "\"}]}";
    post("/v1/sketches", "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static ByteString randomId(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /**
   * One trace: a SERVER span for {@code route} with a CLIENT JDBC span running {@code sql} inside it;
   * returns the trace id in hex.
   */
  String trace(String method, String route, int status, String sql, String table, long startMillis, long serverMillis, long dbMillis,
      String exception) throws IOException, InterruptedException {
    ByteString traceId = randomId(16);
    ByteString serverId = randomId(8);
    long start = startMillis * 1_000_000L;
    Span.Builder server =
        Span.newBuilder()
            .setTraceId(traceId).setSpanId(serverId).setName(method + " " + route).setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(start).setEndTimeUnixNano(start + serverMillis * 1_000_000L)
            .addAttributes(kv("http.request.method", method)).addAttributes(kv("http.route", route))
            .addAttributes(kv("url.path", route.replace("{id}", "7")))
            .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code").setValue(AnyValue.newBuilder().setIntValue(status)));
    if (exception != null) {
      server.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(exception));
      server.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(start + 1_000_000L)
          .addAttributes(kv("exception.type", "java.lang.IllegalStateException")).addAttributes(kv("exception.message", exception)));
    }
    Span db =
        Span.newBuilder()
            .setTraceId(traceId).setSpanId(randomId(8)).setParentSpanId(serverId).setName("SELECT " + table)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(start + 1_000_000L).setEndTimeUnixNano(start + (1 + dbMillis) * 1_000_000L)
            .addAttributes(kv("db.system", "h2")).addAttributes(kv("db.query.text", sql))
            .addAttributes(kv("db.operation.name", "SELECT")).addAttributes(kv("db.collection.name", table))
            .build();
    ExportTraceServiceRequest req =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(ScopeSpans.newBuilder().addSpans(server).addSpans(db)))
            .build();
    post("/v1/traces", "application/x-protobuf", req.toByteArray());
    return java.util.HexFormat.of().formatHex(traceId.toByteArray());
  }

  private void post(String path, String type, byte[] body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
  }
}
