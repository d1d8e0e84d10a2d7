package dev.sketchtrace.collector;

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

/** Test helper: hand-built OTLP requests with known content. */
final class OtlpRequests {
  private OtlpRequests() {}

  static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attr("service.name", service)).build();
  }

  /**
   * A DELTA exponential-histogram point at scale 0 with {@code perBucket} values in each of
   * buckets 0..3 (values in (1,2], (2,4], (4,8], (8,16]), so count = 4 × perBucket.
   */
  static ExponentialHistogramDataPoint.Builder point(long timeNanos, String route, long perBucket) {
    ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(timeNanos - 10_000_000_000L).setTimeUnixNano(timeNanos)
        .setScale(0).setCount(4 * perBucket).setSum(4 * perBucket * 5.0)
        .addAttributes(attr("http.route", route));
    ExponentialHistogramDataPoint.Buckets.Builder b = p.getPositiveBuilder().setOffset(0);
    for (int i = 0; i < 4; i++) b.addBucketCounts(perBucket);
    return p;
  }

  static ExportMetricsServiceRequest metrics(String service, ExponentialHistogramDataPoint.Builder... points) {
    ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    for (ExponentialHistogramDataPoint.Builder p : points) h.addDataPoints(p);
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource(service))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("http.server.request.duration").setUnit("s").setExponentialHistogram(h))))
        .build();
  }

  static Span.Builder span(byte[] traceId, byte[] spanId, long startNanos) {
    return Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId))
        .setName("GET /x").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 5_000_000);
  }

  static ExportTraceServiceRequest traces(String service, Span.Builder... spans) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) ss.addSpans(s);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(ss)).build();
  }
}
