package dev.sketchtrace.collector.receiver;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.forward.Forwarder;
import dev.sketchtrace.collector.ingest.IngestResult;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Thread-safe: OTLP/HTTP for one signal ({@code /v1/traces}, {@code /v1/metrics},
 * {@code /v1/logs}), binary protobuf or JSON, optionally gzip. Answers as the specification says:
 * 200 with the (partial-success) response in the request's encoding; 400 with a
 * {@code google.rpc.Status} for malformed data (nothing stored); 413 past the size limits; 415 for
 * other content types or encodings; 503 + Retry-After when ingest is saturated or the store fails.
 */
public final class OtlpHttpReceiver implements HttpService {
  private static final Logger LOG = Logger.getLogger(OtlpHttpReceiver.class.getName());
  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private final Signal signal;
  private final IngestService ingest;
  private final IngestExecutor executor;
  private final Forwarder forwarder;
  private final ReceiverStats stats;
  private final int maxDecompressedBytes;

  OtlpHttpReceiver(Signal signal, IngestService ingest, IngestExecutor executor, Forwarder forwarder, ReceiverStats stats, int maxDecompressedBytes) {
    this.signal = signal;
    this.ingest = ingest;
    this.executor = executor;
    this.forwarder = forwarder;
    this.stats = stats;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  public static OtlpHttpReceiver traces(IngestService i, IngestExecutor e, Forwarder f, ReceiverStats s, int max) {
    return new OtlpHttpReceiver(Signal.TRACES, i, e, f, s, max);
  }

  public static OtlpHttpReceiver metrics(IngestService i, IngestExecutor e, Forwarder f, ReceiverStats s, int max) {
    return new OtlpHttpReceiver(Signal.METRICS, i, e, f, s, max);
  }

  public static OtlpHttpReceiver logs(IngestService i, IngestExecutor e, Forwarder f, ReceiverStats s, int max) {
    return new OtlpHttpReceiver(Signal.LOGS, i, e, f, s, max);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    req.aggregate().handle((agg, err) -> {
      if (err != null) {
        // Armeria turns an over-long body into a 413 itself; anything else is a broken request.
        result.completeExceptionally(err);
        return null;
      }
      boolean queued = signal.admits(ingest) && executor.tryExecute(() -> handle(agg).whenComplete((r, e) -> {
        if (e == null) result.complete(r);
        else result.complete(storeFailed(e));
      }));
      if (!queued) {
        stats.count(signal.name, "saturated");
        result.complete(retryLater(HttpStatus.SERVICE_UNAVAILABLE, "ingest is saturated, retry later"));
      }
      return null;
    });
    return HttpResponse.of(result);
  }

  /** Runs on the ingest executor; the answer completes once the request is on disk (or refused). */
  private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest agg) {
    MediaType type = agg.contentType();
    boolean json;
    if (type != null && type.is(MediaType.JSON)) {
      json = true;
    } else if (type != null && type.is(PROTOBUF)) {
      json = false;
    } else {
      stats.count(signal.name, "unsupported_media_type");
      return CompletableFuture.completedFuture(
          error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/x-protobuf or application/json", false));
    }
    try {
      byte[] body = Bodies.decode(agg.content().array(), agg.headers().get(HttpHeaderNames.CONTENT_ENCODING), maxDecompressedBytes);
      Message request = json ? fromJson(body) : null;
      CompletableFuture<IngestResult> stored = json ? signal.store(ingest, request) : signal.storeProtobuf(ingest, body);
      // Only what the completion needs is kept while the request waits for its sync.
      byte[] forwardBody = !forwarder.enabled() ? null : json ? request.toByteArray() : body;
      boolean jsonAnswer = json;
      return stored.thenApply(r -> {
        stats.count(signal.name, "accepted");
        if (forwardBody != null) forwarder.forward(signal.path, forwardBody);
        Message response = signal.response(r);
        return jsonAnswer
            ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.print(response))
            : HttpResponse.of(HttpStatus.OK, PROTOBUF, response.toByteArray());
      });
    } catch (RequestRejected e) {
      stats.count(signal.name, "rejected_" + e.status);
      return CompletableFuture.completedFuture(error(HttpStatus.valueOf(e.status), e.getMessage(), json));
    } catch (InvalidDataException e) {
      stats.count(signal.name, "rejected_400");
      return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST, e.getMessage(), json));
    } catch (org.rocksdb.RocksDBException | RuntimeException e) {
      return CompletableFuture.completedFuture(storeFailed(e));
    }
  }

  private Message fromJson(byte[] body) throws InvalidDataException {
    Message.Builder b = signal.newBuilder();
    OtlpJson.merge(body, b);
    return b.build();
  }

  private HttpResponse storeFailed(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    LOG.log(Level.WARNING, "storing " + signal.name + " failed", cause);
    stats.count(signal.name, "store_failed");
    return retryLater(HttpStatus.SERVICE_UNAVAILABLE, "store failed: " + cause.getMessage());
  }

  static HttpResponse error(HttpStatus status, String message, boolean json) {
    Status s = Status.newBuilder().setCode(status.code() == 400 ? 3 : 0).setMessage(message).build();
    return json
        ? HttpResponse.of(status, MediaType.JSON, OtlpJson.print(s))
        : HttpResponse.of(status, PROTOBUF, s.toByteArray());
  }

  static HttpResponse retryLater(HttpStatus status, String message) {
    return HttpResponse.of(
        ResponseHeaders.builder(status).add(HttpHeaderNames.RETRY_AFTER, "1").contentType(PROTOBUF).build(),
        HttpData.wrap(Status.newBuilder().setCode(14).setMessage(message).build().toByteArray()));
  }
}
