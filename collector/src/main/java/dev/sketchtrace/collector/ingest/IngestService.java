package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.Database;
import dev.sketchtrace.collector.store.MetricStore;
import dev.sketchtrace.collector.store.Series;
import dev.sketchtrace.collector.store.SeriesRegistry;
import dev.sketchtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: the one path from a decoded request to the disk, shared by the OTLP/HTTP, OTLP/gRPC
 * and {@code /v1/sketches} receivers. A request is validated whole, then written in one atomic,
 * synced batch: either all of it is stored and the caller may answer 2xx, or none of it is.
 */
public final class IngestService {
  private final Database db;
  private final MetricStore metrics;
  private final SpanStore spans;
  private final SeriesRegistry registry;
  private final MetricsConverter converter;
  private final CumulativeToDelta cumulative;
  private final AtomicLong points = new AtomicLong();
  private final AtomicLong spanCount = new AtomicLong();
  private final AtomicLong logRecords = new AtomicLong();
  private final AtomicLong rejectedItems = new AtomicLong();
  private final long maxPendingPoints;

  public IngestService(
      Database db, MetricStore metrics, SpanStore spans, SeriesRegistry registry, CumulativeToDelta cumulative,
      java.time.Clock clock, long maxPendingPoints) {
    this.db = db;
    this.maxPendingPoints = maxPendingPoints;
    this.metrics = metrics;
    this.spans = spans;
    this.registry = registry;
    this.cumulative = cumulative;
    this.converter = new MetricsConverter(cumulative, clock);
  }

  /**
   * Validates and converts {@code request} (throwing {@link InvalidDataException} before anything is
   * written), writes it, and returns a future that completes once it is on disk — the caller answers
   * 2xx then — or exceptionally when the store failed.
   */
  public CompletableFuture<IngestResult> metrics(ExportMetricsServiceRequest request) throws InvalidDataException, RocksDBException {
    MetricsConverter.Converted c = converter.convert(request);
    // The completion keeps only what it needs, not the converted request.
    CumulativeToDelta.Staging staging = c.staging;
    int stored = c.points.size();
    long rejected = c.rejected;
    String reason = c.rejectReason;
    return write(c.points, List.of()).thenApply(x -> {
      cumulative.commit(staging);
      rejectedItems.addAndGet(rejected);
      return IngestResult.of(stored, rejected, reason);
    });
  }

  /**
   * True while more points wait for a checkpoint than the configured cap (they are only in the raw
   * log and memory, and a restart folds them again), or while the store holds more open buckets than
   * it can bring down: receivers then refuse metric requests (503 / UNAVAILABLE, retry later) rather
   * than let memory grow without bound. Checked before a request is taken on, so the cap can be
   * exceeded by the requests already accepted (at most the ingest queue's worth).
   */
  public boolean metricsBacklogFull() {
    return metrics.pendingPoints() >= maxPendingPoints || metrics.openBucketsFull();
  }

  /** {@code request}: an {@code ExportTraceServiceRequest} in protobuf form; each span is stored as the bytes it has there. */
  public CompletableFuture<IngestResult> traces(byte[] request) throws InvalidDataException, RocksDBException {
    List<SpanStore.NewSpan> s = SpanConverter.convert(request);
    int n = s.size();
    return write(List.of(), s).thenApply(x -> IngestResult.of(n, 0, ""));
  }

  /** Logs are validated, counted and forwarded, not stored (the query API has no log view). */
  public IngestResult logs(ExportLogsServiceRequest request) {
    long n = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) n += sl.getLogRecordsCount();
    }
    logRecords.addAndGet(n);
    return IngestResult.of(n, 0, "");
  }

  public CompletableFuture<IngestResult> sketches(byte[] json) throws InvalidDataException, RocksDBException {
    List<PendingPoint> p = SketchesConverter.convert(json);
    int n = p.size();
    return write(p, List.of()).thenApply(x -> IngestResult.of(n, 0, ""));
  }

  /**
   * Writes one request's points and spans in one atomic batch; the future completes after the WAL
   * sync that covers it. The points are folded into the open buckets (and visible to queries) once
   * written.
   */
  private CompletableFuture<Void> write(List<PendingPoint> pendingPoints, List<SpanStore.NewSpan> pendingSpans) throws RocksDBException {
    if (pendingPoints.isEmpty() && pendingSpans.isEmpty()) return CompletableFuture.completedFuture(null);
    List<Series> created = new ArrayList<>();
    CompletableFuture<Void> synced;
    MetricStore.PendingWrite write = metrics.begin(pendingPoints.size());
    try (WriteBatch batch = new WriteBatch()) {
      try {
        for (PendingPoint p : pendingPoints) {
          Series s = registry.resolve(p.identity(), (series, bytes) -> metrics.persistSeries(batch, series, bytes), created);
          write.append(s, p.epochSecond(), p.value(), p.sketch());
        }
        write.putInto(batch);
        spans.append(batch, pendingSpans);
        synced = db.writeDurably(batch, write::written);
      } catch (RocksDBException | RuntimeException e) {
        registry.forget(created);
        throw e;
      }
    }
    int np = pendingPoints.size();
    int ns = pendingSpans.size();
    return synced.whenComplete((x, err) -> {
      if (err != null) {
        // Written but not known to be on disk: the client is told to retry. The batch itself stays
        // (it is in the log and, after a restart, may be found), so a retry can count it twice:
        // at-least-once on a failing disk, never a lost acknowledged point.
        return;
      }
      points.addAndGet(np);
      spanCount.addAndGet(ns);
    });
  }

  public long pointsStored() { return points.get(); }
  public long spansStored() { return spanCount.get(); }
  public long logRecordsReceived() { return logRecords.get(); }
  public long itemsRejected() { return rejectedItems.get(); }
}
