package dev.sketchtrace.agent.fold;

import dev.sketchtrace.agent.export.ExportBatch;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
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

  List<SpanData> spans() {
    return batch.spans();
  }

  List<String> sketchKinds() {
    return batch.sketches().stream().map(ExportBatch.SketchEntry::kind).collect(Collectors.toList());
  }
}
