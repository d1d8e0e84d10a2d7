package dev.sketchtrace.collector.receiver;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.ingest.IngestResult;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import java.util.concurrent.CompletableFuture;

/** Thread-safe: {@code POST /v1/sketches} (JSON, optionally gzip), the agent's HLL / top-K / quantile sketches. */
public final class SketchesReceiver implements HttpService {
  private final IngestService ingest;
  private final IngestExecutor executor;
  private final ReceiverStats stats;
  private final int maxDecompressedBytes;

  public SketchesReceiver(IngestService ingest, IngestExecutor executor, ReceiverStats stats, int maxDecompressedBytes) {
    this.ingest = ingest;
    this.executor = executor;
    this.stats = stats;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    req.aggregate().handle((agg, err) -> {
      if (err != null) {
        result.completeExceptionally(err);
        return null;
      }
      boolean queued = !ingest.metricsBacklogFull() && executor.tryExecute(() -> {
        MediaType type = agg.contentType();
        if (type == null || !type.is(MediaType.JSON)) {
          stats.count("sketches", "unsupported_media_type");
          result.complete(OtlpHttpReceiver.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json", true));
          return;
        }
        try {
          byte[] body = Bodies.decode(agg.content().array(), agg.headers().get(HttpHeaderNames.CONTENT_ENCODING), maxDecompressedBytes);
          ingest.sketches(body).whenComplete((r, failure) -> {
            if (failure != null) {
              Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
              stats.count("sketches", "store_failed");
              result.complete(OtlpHttpReceiver.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "store failed: " + cause.getMessage()));
              return;
            }
            stats.count("sketches", "accepted");
            result.complete(HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"accepted\":" + r.accepted() + "}"));
          });
        } catch (RequestRejected e) {
          stats.count("sketches", "rejected_" + e.status);
          result.complete(OtlpHttpReceiver.error(HttpStatus.valueOf(e.status), e.getMessage(), true));
        } catch (InvalidDataException e) {
          stats.count("sketches", "rejected_400");
          result.complete(OtlpHttpReceiver.error(HttpStatus.BAD_REQUEST, e.getMessage(), true));
        } catch (org.rocksdb.RocksDBException | RuntimeException e) {
          stats.count("sketches", "store_failed");
          result.complete(OtlpHttpReceiver.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "store failed: " + e.getMessage()));
        }
      });
      if (!queued) {
        stats.count("sketches", "saturated");
        result.complete(OtlpHttpReceiver.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "ingest is saturated, retry later"));
      }
      return null;
    });
    return HttpResponse.of(result);
  }
}
