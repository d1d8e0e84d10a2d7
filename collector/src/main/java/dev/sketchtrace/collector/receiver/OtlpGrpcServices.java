package dev.sketchtrace.collector.receiver;

import com.google.protobuf.Message;
import dev.sketchtrace.collector.forward.Forwarder;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Thread-safe: the OTLP/gRPC services, defined with grpc-java's generic API (the
 * {@code opentelemetry-proto} artifact ships no stubs): requests are taken as bytes and decoded
 * with the official OTLP classes by the {@link Signal}, answers with their protobuf marshallers.
 * Status codes follow the specification: INVALID_ARGUMENT for malformed data (not retryable),
 * UNAVAILABLE when ingest is saturated or the store fails (retryable).
 */
public final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  public static List<ServerServiceDefinition> all(IngestService ingest, IngestExecutor executor, Forwarder forwarder, ReceiverStats stats) {
    return List.of(
        service("opentelemetry.proto.collector.trace.v1.TraceService", Signal.TRACES,
            ExportTraceServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats),
        service("opentelemetry.proto.collector.metrics.v1.MetricsService", Signal.METRICS,
            ExportMetricsServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats),
        service("opentelemetry.proto.collector.logs.v1.LogsService", Signal.LOGS,
            ExportLogsServiceResponse.getDefaultInstance(), ingest, executor, forwarder, stats));
  }

  /**
   * Requests arrive as their protobuf bytes (already deframed, decompressed and size-checked by the
   * gRPC server) and are decoded by {@link Signal#storeProtobuf}, as on OTLP/HTTP: spans are decoded
   * in place and stored as received, the forwarder sends the bytes as they came, and a malformed
   * message is INVALID_ARGUMENT like any other invalid data.
   */
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("reading the request failed: " + e.getMessage()).withCause(e).asRuntimeException();
      }
    }
  };

  @SuppressWarnings("unchecked")
  private static <R extends Message> ServerServiceDefinition service(
      String serviceName, Signal signal, R responsePrototype,
      IngestService ingest, IngestExecutor executor, Forwarder forwarder, ReceiverStats stats) {
    MethodDescriptor<byte[], R> method = MethodDescriptor.<byte[], R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
        .build();
    ServerCalls.UnaryMethod<byte[], R> handler = (byte[] request, StreamObserver<R> out) -> {
      boolean queued = signal.admits(ingest) && executor.tryExecute(() -> {
        try {
          signal.storeProtobuf(ingest, request).whenComplete((r, err) -> {
            if (err != null) {
              Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
              stats.count(signal.name, "store_failed");
              out.onError(Status.UNAVAILABLE.withDescription("store failed: " + cause.getMessage()).asRuntimeException());
              return;
            }
            stats.count(signal.name, "accepted");
            if (forwarder.enabled()) forwarder.forward(signal.path, request);
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
