package dev.sketchtrace.agent.export;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;

/**
 * One OTLP transport (http/protobuf or grpc) as the {@link ExportLoop} sees it: send a signal's
 * items once, say whether to try again. Retries, backoff and the bound on pending batches stay in
 * the loop. Implementations are used by the export thread only.
 */
interface OtlpSender {
  SendResult sendMetrics(Collection<MetricData> metrics);

  SendResult sendSpans(EncodedSpans spans);

  void close();
}
