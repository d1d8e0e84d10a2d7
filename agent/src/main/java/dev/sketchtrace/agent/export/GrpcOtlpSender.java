package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentVersion;
import dev.sketchtrace.agent.export.grpc.GrpcCallResult;
import dev.sketchtrace.agent.export.grpc.GrpcStatus;
import dev.sketchtrace.agent.export.grpc.GrpcUnaryClient;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import javax.net.ssl.SSLSocketFactory;

/**
 * OTLP/gRPC: metric requests are encoded by the SDK's own OTLP marshalers (the same bytes the
 * http/protobuf exporter posts), span requests come encoded by the {@link SpanEncoder}; both are
 * sent by the agent's {@link GrpcUnaryClient}. Statuses map to
 * {@link SendResult} by the OTLP rule ({@link GrpcCallResult#isRetryable()}); a partial success is
 * logged at debug level (the rejected items are not retried, as the specification says).
 *
 * <p>Export thread only. Metrics and traces share one connection when their endpoints do.
 */
final class GrpcOtlpSender implements OtlpSender {
  static final String METRICS_PATH = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  static final String TRACES_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final GrpcUnaryClient metricsClient;
  private final GrpcUnaryClient tracesClient;

  GrpcOtlpSender(ExportSettings settings, SSLSocketFactory tls) {
    boolean gzip = "gzip".equals(settings.compression);
    String userAgent = "sketchtrace-agent/" + AgentVersion.VERSION;
    URI metrics = URI.create(settings.metricsEndpoint);
    URI traces = URI.create(settings.tracesEndpoint);
    metricsClient = new GrpcUnaryClient(metrics, settings.headers, gzip, settings.timeout, userAgent, tls);
    tracesClient = sameOrigin(metrics, traces) ? metricsClient
        : new GrpcUnaryClient(traces, settings.headers, gzip, settings.timeout, userAgent, tls);
  }

  @Override
  public SendResult sendMetrics(Collection<MetricData> metrics) {
    Marshaler request = MetricsRequestMarshaler.create(metrics);
    byte[] message;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(request.getBinarySerializedSize());
      request.writeBinaryTo(out);
      message = out.toByteArray();
    } catch (IOException e) {
      return SendResult.rejected("cannot encode the request: " + e);
    }
    return call(metricsClient, METRICS_PATH, message, "data points");
  }

  @Override
  public SendResult sendSpans(EncodedSpans spans) {
    return call(tracesClient, TRACES_PATH, spans.request(), "spans");
  }

  private static SendResult call(GrpcUnaryClient client, String path, byte[] message, String items) {
    GrpcCallResult result = client.call(path, message);
    if (result.isOk()) {
      if (result.rejected() > 0 || !result.partialSuccessMessage().isEmpty()) {
        dev.sketchtrace.agent.AgentLog.debug("the OTLP receiver rejected " + result.rejected() + " "
            + items + ": " + result.partialSuccessMessage());
      }
      return SendResult.SENT;
    }
    String detail = "gRPC " + result;
    if (result.isRetryable()) {
      return SendResult.retry(result.retryDelayMillis(), detail);
    }
    return SendResult.rejected(detail + (result.code() == GrpcStatus.UNIMPLEMENTED
        ? " (is the endpoint an OTLP/gRPC receiver? http/protobuf uses port 4318, grpc 4317)" : ""));
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getRawAuthority()).equalsIgnoreCase(String.valueOf(b.getRawAuthority()));
  }

  @Override
  public void close() {
    metricsClient.close();
    tracesClient.close();
  }
}
