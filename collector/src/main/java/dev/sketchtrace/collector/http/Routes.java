package dev.sketchtrace.collector.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.sketchtrace.collector.api.PrometheusEndpoint;
import dev.sketchtrace.collector.api.QueryApi;
import dev.sketchtrace.collector.receiver.OtlpHttpReceiver;
import dev.sketchtrace.collector.receiver.SketchesReceiver;
import io.grpc.ServerServiceDefinition;
import java.util.List;

/**
 * Stateless: the one place where HTTP routes are registered, per port.
 * <ul>
 *   <li>OTLP/HTTP (4318): {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs},
 *       {@code /v1/sketches}; {@code GET /healthz}.
 *   <li>OTLP/gRPC (4317): the three OTLP {@code Export} services.
 *   <li>API (4040): {@code /api/v1/...}, {@code /metrics}, {@code /healthz}, and static files
 *       from the classpath folder {@code dashboard/} at {@code /} (the dashboard's home; Armeria's
 *       {@link FileService} normalizes paths and refuses anything outside that folder).
 * </ul>
 * The dashboard, drift and alert endpoints (including SSE) are added in {@link #api}.
 */
public final class Routes {
  private Routes() {}

  private static HttpResponse healthz() {
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n");
  }

  public static void otlpHttp(ServerBuilder sb, OtlpHttpReceiver traces, OtlpHttpReceiver metrics, OtlpHttpReceiver logs, SketchesReceiver sketches) {
    sb.service("/healthz", (ctx, req) -> healthz());
    sb.route().post("/v1/traces").build(traces);
    sb.route().post("/v1/metrics").build(metrics);
    sb.route().post("/v1/logs").build(logs);
    sb.route().post("/v1/sketches").build(sketches);
  }

  public static void otlpGrpc(ServerBuilder sb, List<ServerServiceDefinition> services, int maxMessageBytes) {
    GrpcServiceBuilder grpc = GrpcService.builder()
        .maxRequestMessageLength(maxMessageBytes)
        .useBlockingTaskExecutor(false);
    for (ServerServiceDefinition d : services) grpc.addService(d);
    sb.service(grpc.build());
  }

  public static void api(ServerBuilder sb, QueryApi api, PrometheusEndpoint prometheus) {
    sb.service("/healthz", (ctx, req) -> healthz());
    sb.route().get("/metrics").build(prometheus::serve);
    sb.route().get("/api/v1/services").build(api::services);
    sb.route().get("/api/v1/services/{service}/metrics").build(api::metrics);
    sb.route().get("/api/v1/services/{service}/operations").build(api::operations);
    sb.route().get("/api/v1/services/{service}/top-sql").build(api::topSql);
    sb.route().get("/api/v1/services/{service}/statements").build(api::statements);
    sb.route().get("/api/v1/services/{service}/distinct").build(api::distinct);
    sb.route().get("/api/v1/timeseries").build(api::timeSeries);
    sb.route().get("/api/v1/traces").build(api::traces);
    sb.route().get("/api/v1/traces/{traceId}").build(api::trace);
    sb.serviceUnder("/", FileService.builder(Routes.class.getClassLoader(), "dashboard")
        .serveCompressedFiles(false)
        .autoIndex(false)
        .build());
  }
}
