package dev.sketchtrace.collector.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sketchtrace.collector.ingest.IngestResult;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.RocksDBException;

/** The three OTLP signals: how each request is parsed, stored and answered. */
enum Signal {
  TRACES("traces", "/v1/traces") {
    @Override Message.Builder newBuilder() { return ExportTraceServiceRequest.newBuilder(); }
    @Override Message parse(byte[] b) throws InvalidProtocolBufferException { return ExportTraceServiceRequest.parseFrom(b); }
    @Override CompletableFuture<IngestResult> store(IngestService s, Message m) throws InvalidDataException, RocksDBException {
      return s.traces(m.toByteArray());
    }
    /** Not parsed whole: the span store keeps each span as received, so the spans are decoded in place. */
    @Override CompletableFuture<IngestResult> storeProtobuf(IngestService s, byte[] body) throws InvalidDataException, RocksDBException {
      return s.traces(body);
    }
    @Override Message response(IngestResult r) {
      ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      if (r.rejected() > 0) b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(r.rejected()).setErrorMessage(r.message()));
      return b.build();
    }
  },
  METRICS("metrics", "/v1/metrics") {
    @Override boolean admits(IngestService s) { return !s.metricsBacklogFull(); }
    @Override Message.Builder newBuilder() { return ExportMetricsServiceRequest.newBuilder(); }
    @Override Message parse(byte[] b) throws InvalidProtocolBufferException { return ExportMetricsServiceRequest.parseFrom(b); }
    @Override CompletableFuture<IngestResult> store(IngestService s, Message m) throws InvalidDataException, RocksDBException {
      return s.metrics((ExportMetricsServiceRequest) m);
    }
    @Override Message response(IngestResult r) {
      ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
      if (r.rejected() > 0) b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(r.rejected()).setErrorMessage(r.message()));
      return b.build();
    }
  },
  LOGS("logs", "/v1/logs") {
    @Override Message.Builder newBuilder() { return ExportLogsServiceRequest.newBuilder(); }
    @Override Message parse(byte[] b) throws InvalidProtocolBufferException { return ExportLogsServiceRequest.parseFrom(b); }
    @Override CompletableFuture<IngestResult> store(IngestService s, Message m) {
      return CompletableFuture.completedFuture(s.logs((ExportLogsServiceRequest) m));
    }
    @Override Message response(IngestResult r) {
      ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
      if (r.rejected() > 0) b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(r.rejected()).setErrorMessage(r.message()));
      return b.build();
    }
  };

  final String name;
  final String path;

  Signal(String name, String path) {
    this.name = name;
    this.path = path;
  }

  abstract Message.Builder newBuilder();

  /** Whether a request of this signal may be taken on now (metrics wait while the rollup backlog is full). */
  boolean admits(IngestService service) {
    return true;
  }

  abstract Message parse(byte[] protobuf) throws InvalidProtocolBufferException;

  /** Validates (throwing before anything is stored) and writes; the future completes once it is on disk. */
  abstract CompletableFuture<IngestResult> store(IngestService service, Message request) throws InvalidDataException, RocksDBException;

  /** {@link #store} for a protobuf body; throws {@link InvalidDataException} when it is not a valid request. */
  CompletableFuture<IngestResult> storeProtobuf(IngestService service, byte[] body) throws InvalidDataException, RocksDBException {
    Message request;
    try {
      request = parse(body);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidDataException("body is not a valid " + name + " protobuf message: " + e.getMessage());
    }
    return store(service, request);
  }

  abstract Message response(IngestResult result);
}
