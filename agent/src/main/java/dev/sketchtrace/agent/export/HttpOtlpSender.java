package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentLog;
import dev.sketchtrace.agent.AgentVersion;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP http/protobuf: metrics with the OpenTelemetry SDK's exporter and its JDK HTTP sender (the
 * SDK's own retries off: the {@link ExportLoop} retries); spans, which come already encoded by the
 * {@link SpanEncoder}, posted as they are with the export loop's JDK {@link HttpClient}. Every
 * failure counts as retryable, as before the gRPC transport existed. Export thread only.
 */
final class HttpOtlpSender implements OtlpSender {
  private final OtlpHttpMetricExporter metricExporter;
  private final long timeoutMillis;
  private final HttpClient client;
  private final ExportSettings settings;
  private final URI tracesEndpoint;
  private final String userAgent = "sketchtrace-agent/" + AgentVersion.VERSION;

  HttpOtlpSender(ExportSettings settings, ExecutorService senderThreads, HttpClient client) {
    this.settings = settings;
    this.client = client;
    this.tracesEndpoint = URI.create(settings.tracesEndpoint);
    OtlpHttpMetricExporterBuilder metrics =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(settings.metricsEndpoint)
            .setTimeout(settings.timeout)
            .setCompression(settings.compression)
            .setRetryPolicy(null)
            .setMeterProvider(MeterProvider::noop)
            .setExecutorService(senderThreads);
    for (Map.Entry<String, String> h : settings.headers.entrySet()) {
      metrics.addHeader(h.getKey(), h.getValue());
    }
    metricExporter = metrics.build();
    timeoutMillis = settings.timeout.toMillis() + 1000;
  }

  @Override
  public SendResult sendMetrics(Collection<MetricData> metrics) {
    return join(metricExporter.export(metrics));
  }

  @Override
  public SendResult sendSpans(EncodedSpans spans) {
    boolean gzip = "gzip".equals(settings.compression);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(tracesEndpoint)
            .timeout(settings.timeout)
            .header("Content-Type", "application/x-protobuf")
            .header("User-Agent", userAgent);
    for (Map.Entry<String, String> h : settings.headers.entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    try {
      byte[] body = spans.request();
      if (gzip) {
        body = gzip(body);
        request.header("Content-Encoding", "gzip");
      }
      HttpResponse<Void> response = client.send(
          request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2 ? SendResult.SENT : SendResult.retry(-1, "HTTP " + status);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.retry(-1, "interrupted");
    } catch (IOException | RuntimeException e) {
      return SendResult.retry(-1, String.valueOf(e));
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
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
    } catch (Throwable t) {
      AgentLog.debug("closing the OTLP/HTTP metric exporter failed", t);
    }
  }
}
