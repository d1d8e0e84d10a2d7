package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentLog;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * OTLP http/protobuf with the OpenTelemetry SDK's exporters and their JDK HTTP sender (the SDK's
 * own retries off: the {@link ExportLoop} retries). Every failure counts as retryable, as before
 * the gRPC transport existed. Export thread only.
 */
final class HttpOtlpSender implements OtlpSender {
  private final OtlpHttpMetricExporter metricExporter;
  private final OtlpHttpSpanExporter spanExporter;
  private final long timeoutMillis;

  HttpOtlpSender(ExportSettings settings, ExecutorService senderThreads) {
    OtlpHttpMetricExporterBuilder metrics =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(settings.metricsEndpoint)
            .setTimeout(settings.timeout)
            .setCompression(settings.compression)
            .setRetryPolicy(null)
            .setMeterProvider(MeterProvider::noop)
            .setExecutorService(senderThreads);
    OtlpHttpSpanExporterBuilder spans =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.tracesEndpoint)
            .setTimeout(settings.timeout)
            .setCompression(settings.compression)
            .setRetryPolicy(null)
            .setMeterProvider(MeterProvider::noop)
            .setExecutorService(senderThreads);
    for (Map.Entry<String, String> h : settings.headers.entrySet()) {
      metrics.addHeader(h.getKey(), h.getValue());
      spans.addHeader(h.getKey(), h.getValue());
    }
    metricExporter = metrics.build();
    spanExporter = spans.build();
    timeoutMillis = settings.timeout.toMillis() + 1000;
  }

  @Override
  public SendResult sendMetrics(Collection<MetricData> metrics) {
    return join(metricExporter.export(metrics));
  }

  @Override
  public SendResult sendSpans(Collection<SpanData> spans) {
    return join(spanExporter.export(spans));
  }

  private SendResult join(CompletableResultCode result) {
    result.join(timeoutMillis, TimeUnit.MILLISECONDS);
    if (result.isSuccess()) {
      return SendResult.SENT;
    }
    return SendResult.retry(-1,
        result.isDone() ? String.valueOf(result.getFailureThrowable()) : "timed out");
  }

  @Override
  public void close() {
    try {
      metricExporter.shutdown();
      spanExporter.shutdown();
    } catch (Throwable t) {
      AgentLog.debug("closing the OTLP/HTTP exporters failed", t);
    }
  }
}
