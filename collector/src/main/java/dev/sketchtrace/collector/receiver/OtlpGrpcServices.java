package dev.sketchtrace.collector.receiver;

import com.google.protobuf.Message;
import dev.sketchtrace.collector.forward.Forwarder;
import dev.sketchtrace.collector.ingest.IngestResult;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.List;

/**
 * Thread-safe: the OTLP/gRPC services, defined with grpc-java's generic API and the protobuf
 * marshallers of the official OTLP messages (the {@code opentelemetry-proto} artifact ships no
 * stubs). Status codes follow the specification: INVALID_ARGUMENT for malformed data (not
 * retryable), UNAVAILABLE when ingest is saturated or the store fails (retryable).
 */
public final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  public static List<ServerServiceDefinition> all(IngestService ingest, IngestExecutor executor, Forwarder forwarder, ReceiverStats stats) {
    return List.of(
        service("opentelemetry.proto.collector.trace.v1.TraceService", Signal.TRACES,
            ExportTraceServiceRequest.getDefaultInstance(), ExportTraceServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats),
        service("opentelemetry.proto.collector.metrics.v1.MetricsService", Signal.METRICS,
            ExportMetricsServiceRequest.getDefaultInstance(), ExportMetricsServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats),
        service("opentelemetry.proto.collector.logs.v1.LogsService", Signal.LOGS,
            ExportLogsServiceRequest.getDefaultInstance(), ExportLogsServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats));
  }

  @SuppressWarnings("unchecked")
  private static <Q extends Message, R extends Message> ServerServiceDefinition service(
      String serviceName, Signal signal, Q requestPrototype, R responsePrototype,
      IngestService ingest, IngestExecutor executor, Forwarder forwarder, ReceiverStats stats) {
    MethodDescriptor<Q, R> method = MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
        .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
        .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
        .build();
    ServerCalls.UnaryMethod<Q, R> handler = (Q request, StreamObserver<R> out) -> {
      boolean queued = signal.admits(ingest) && executor.tryExecute(() -> {
        try {
          signal.store(ingest, request).whenComplete((r, err) -> {
            if (err != null) {
              Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
              stats.count(signal.name, "store_failed");
              out.onError(Status.UNAVAILABLE.withDescription("store failed: " + cause.getMessage()).asRuntimeException());
              return;
            }
            stats.count(signal.name, "accepted");
            if (forwarder.enabled()) forwarder.forward(signal.path, request.toByteArray());
            out.onNext((R) signal.response(r));
            out.onCompleted();
          });
        } catch (InvalidDataException e) {
          stats.count(signal.name, "rejected_400");
          out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (org.rocksdb.RocksDBException | RuntimeException e) {
          stats.count(signal.name, "store_failed");
          out.onError(Status.UNAVAILABLE.withDescription("store failed: " + e.getMessage()).asRuntimeException());
        }
      });
      if (!queued) {
        stats.count(signal.name, "saturated");
        out.onError(Status.UNAVAILABLE.withDescription("ingest is saturated, retry later").asRuntimeException());
      }
    };
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(method, ServerCalls.asyncUnaryCall(handler))
        .build();
  }
}
