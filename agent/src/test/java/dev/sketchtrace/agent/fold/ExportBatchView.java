package dev.sketchtrace.agent.fold;

import dev.sketchtrace.agent.export.ExportBatch;
import io.opentelemetry.sdk.metrics.data.MetricData;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.stream.Collectors;

/** Test access to an {@link ExportBatch}'s contents. */
final class ExportBatchView {
  private final ExportBatch batch;

  ExportBatchView(ExportBatch batch) {
    this.batch = batch;
  }

  List<MetricData> metrics() {
    return batch.metrics();
  }

  /** The kept spans, decoded with the official OTLP classes. */
  List<Span> spans() {
    if (batch.spans().isEmpty()) {
      return List.of();
    }
    try {
      return ExportTraceServiceRequest.parseFrom(batch.spans().request())
          .getResourceSpans(0).getScopeSpans(0).getSpansList();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  List<String> sketchKinds() {
    return batch.sketches().stream().map(ExportBatch.SketchEntry::kind).collect(Collectors.toList());
  }
}
