package dev.sketchtrace.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.List;

/** Small metric points and spans for the export tests. */
final class Telemetry {
  static final Resource RESOURCE =
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "grpc-test"));
  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.sketchtrace");

  private Telemetry() {}

  static MetricData counter(String name, long value) {
    return new AgentMetricData(RESOURCE, SCOPE, name, "a counter", "1", MetricDataType.LONG_SUM,
        SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, List.of(
            LongPointData.create(1_000L, 2_000L,
                Attributes.of(AttributeKey.stringKey("route"), "/orders"), value))));
  }

  /** Span {@code i} of one trace; {@code attribute} is its "payload" attribute. */
  static SpanData span(int i, String attribute) {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String spanId = String.format("%016x", 0x1000L + i);
    return new AgentSpanData(RESOURCE, SCOPE, "span-" + i, SpanKind.SERVER,
        SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()),
        SpanContext.getInvalid(), StatusData.unset(), 10_000L + i, 20_000L + i,
        Attributes.of(AttributeKey.stringKey("payload"), attribute), Collections.emptyList());
  }
}
