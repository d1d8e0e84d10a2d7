package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.fold.CustomSpanMapper;
import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.SpanKind;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
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

  /**
   * Spans {@code first}, {@code first + 1}, ... of one trace, named {@code span-<i>}, kind SERVER,
   * each with its payload as the attribute {@code payload}; encoded as the folder encodes them.
   */
  static EncodedSpans spans(int first, String... payloads) {
    SpanEncoder encoder = new SpanEncoder(RESOURCE, SCOPE, new EpochClock());
    CustomSpanMapper mapper = new CustomSpanMapper();
    CustomSpan root = new CustomSpan(null, "root", SpanKind.SERVER);
    for (int k = 0; k < payloads.length; k++) {
      CustomSpan span = new CustomSpan(root, "span-" + (first + k), SpanKind.SERVER);
      span.setAttribute("payload", payloads[k]);
      span.end();
      encoder.encode(span, mapper, null);
    }
    EventQueue.drain(e -> {}, Integer.MAX_VALUE);
    return encoder.drain();
  }
}
