package dev.sketchtrace.agent.export;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real grpc-java (Netty) server on 127.0.0.1 with the OTLP metrics and trace services, defined
 * with grpc-java's generic API over the official OTLP messages. It records every request it
 * decoded; {@link #respondWith} makes the next calls fail with a status, or run a hook first (to be
 * slow). Thread-safe.
 */
public final class OtlpGrpcTestServer implements AutoCloseable {
  /** What the handler does before answering; returns null to answer OK, or the error to send. */
  interface Behaviour {
    StatusRuntimeException before(Message request) throws Exception;
  }

  public final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  public final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  /** The request headers of every call. */
  final List<io.grpc.Metadata> headers = new CopyOnWriteArrayList<>();
  /** Connections the server accepted (HTTP/2 transports that became ready). */
  final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(r -> null);
  private final Server server;

  private OtlpGrpcTestServer(int port, Integer flowControlWindow) throws IOException {
    this(port, flowControlWindow, null);
  }

  private OtlpGrpcTestServer(int port, Integer flowControlWindow,
      javax.net.ssl.KeyManagerFactory tls) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(service("opentelemetry.proto.collector.metrics.v1.MetricsService",
                ExportMetricsServiceRequest.getDefaultInstance(),
                ExportMetricsServiceResponse.getDefaultInstance(), metrics))
            .addService(service("opentelemetry.proto.collector.trace.v1.TraceService",
                ExportTraceServiceRequest.getDefaultInstance(),
                ExportTraceServiceResponse.getDefaultInstance(), traces))
            .addTransportFilter(new io.grpc.ServerTransportFilter() {
              @Override
              public io.grpc.Attributes transportReady(io.grpc.Attributes attributes) {
                connections.incrementAndGet();
                return attributes;
              }
            })
            .intercept(new io.grpc.ServerInterceptor() {
              @Override
              public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                  io.grpc.ServerCall<Q, R> call, io.grpc.Metadata metadata,
                  io.grpc.ServerCallHandler<Q, R> next) {
                headers.add(metadata);
                return next.startCall(call, metadata);
              }
            })
            .maxInboundMessageSize(16 << 20);
    if (flowControlWindow != null) {
      builder.flowControlWindow(flowControlWindow);
    }
    if (tls != null) {
      builder.sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
          io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(tls)).build());
    }
    server = builder.build().start();
  }

  public static OtlpGrpcTestServer start() throws IOException {
    return new OtlpGrpcTestServer(0, null);
  }

  static OtlpGrpcTestServer start(int port) throws IOException {
    return new OtlpGrpcTestServer(port, null);
  }

  /** A TLS server (ALPN h2) with the key of {@code keys}. */
  static OtlpGrpcTestServer withTls(javax.net.ssl.KeyManagerFactory keys) throws IOException {
    return new OtlpGrpcTestServer(0, null, keys);
  }

  /** A server that grants only {@code window} octets per stream and connection at a time. */
  static OtlpGrpcTestServer withFlowControlWindow(int window) throws IOException {
    return new OtlpGrpcTestServer(0, window);
  }

  int port() {
    return server.getPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  void respondWith(Behaviour b) {
    behaviour.set(b);
  }

  @SuppressWarnings("unchecked")
  private <Q extends Message, R extends Message> ServerServiceDefinition service(
      String name, Q requestPrototype, R response, List<Q> received) {
    MethodDescriptor<Q, R> method =
        MethodDescriptor.<Q, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(name, "Export"))
            .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
            .setResponseMarshaller(ProtoUtils.marshaller(response))
            .build();
    ServerCalls.UnaryMethod<Q, R> handler =
        (request, out) -> {
          received.add(request);
          StatusRuntimeException error;
          try {
            error = behaviour.get().before(request);
          } catch (Exception e) {
            error = Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
          }
          if (error != null) {
            out.onError(error);
          } else {
            out.onNext(response);
            out.onCompleted();
          }
        };
    return ServerServiceDefinition.builder(name)
        .addMethod(method, ServerCalls.asyncUnaryCall(handler))
        .build();
  }

  /** Closes the server and every connection at once (clients see GOAWAY, then EOF). */
  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }
}
