package dev.sketchtrace.collector;

import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sketchtrace.collector.api.PrometheusEndpoint;
import dev.sketchtrace.collector.api.QueryApi;
import dev.sketchtrace.collector.dashboard.Dashboard;
import dev.sketchtrace.collector.forward.Forwarder;
import dev.sketchtrace.collector.http.BearerTokenAuth;
import dev.sketchtrace.collector.http.Routes;
import dev.sketchtrace.collector.ingest.CumulativeToDelta;
import dev.sketchtrace.collector.ingest.IngestService;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.receiver.IngestExecutor;
import dev.sketchtrace.collector.receiver.OtlpGrpcServices;
import dev.sketchtrace.collector.receiver.OtlpHttpReceiver;
import dev.sketchtrace.collector.receiver.ReceiverStats;
import dev.sketchtrace.collector.receiver.SketchesReceiver;
import dev.sketchtrace.collector.store.Database;
import dev.sketchtrace.collector.store.MetricStore;
import dev.sketchtrace.collector.store.SeriesRegistry;
import dev.sketchtrace.collector.store.SpanStore;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Thread-safe: the whole collector in one process — store, ingest, three servers sharing one
 * event-loop group, and the background jobs (rollup, retention, span eviction). {@link #start}
 * opens everything; {@link #close} stops the servers first, then the jobs, then the store.
 */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Collector.class.getName());

  private final CollectorConfig config;
  private final Clock clock = Clock.systemUTC();
  private final Database db;
  private final SeriesRegistry registry;
  private final MetricStore metrics;
  private final SpanStore spans;
  private final IngestService ingest;
  private final QueryService query;
  private final Dashboard dashboard;
  private final IngestExecutor executor;
  private final Forwarder forwarder;
  private final ReceiverStats stats = new ReceiverStats();
  private final EventLoopGroup workers = EventLoopGroups.newEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
  private final ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sketchtrace-store-jobs");
    t.setDaemon(true);
    return t;
  });
  private Server otlpHttp;
  private Server otlpGrpc;
  private Server api;

  private Collector(CollectorConfig config) throws Exception {
    this.config = config;
    this.db = new Database(config.dataDir);
    this.registry = new SeriesRegistry(config.maxSeriesPerMetric);
    this.metrics = new MetricStore(db, MetricStore.defaultRetention(), clock);
    MetricStore.loadSeries(db, registry);
    this.spans = new SpanStore(db, config.maxSpanBytes, config.maxSpanAge.toNanos(), clock);
    this.ingest = new IngestService(db, metrics, spans, registry, new CumulativeToDelta(clock.millis() * 1_000_000L), clock, config.maxPendingPoints);
    this.query = new QueryService(metrics, spans, registry, clock);
    this.dashboard = new Dashboard(query, metrics, spans, registry, clock, config.dataDir, config.alertRules);
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    this.executor = new IngestExecutor(threads, config.maxInFlightIngest);
    this.forwarder = Forwarder.to(config.forwardTo);
  }

  /** Opens the store and starts serving; throws if a port cannot be bound. */
  public static Collector start(CollectorConfig config) throws Exception {
    Collector c = new Collector(config);
    try {
      c.startServers();
      c.startJobs();
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private ServerBuilder server(int port) throws Exception {
    ServerBuilder sb = Server.builder()
        .http(new InetSocketAddress(InetAddress.getByName(config.bind), port))
        .workerGroup(workers, false)
        .maxRequestLength(config.maxRequestBytes)
        .requestTimeoutMillis(30_000)
        .gracefulShutdownTimeoutMillis(0, 2_000);
    if (config.token != null) sb.decorator(new BearerTokenAuth(config.token));
    return sb;
  }

  private void startServers() throws Exception {
    ServerBuilder h = server(config.otlpHttpPort);
    int max = config.maxDecompressedBytes;
    Routes.otlpHttp(h,
        OtlpHttpReceiver.traces(ingest, executor, forwarder, stats, max),
        OtlpHttpReceiver.metrics(ingest, executor, forwarder, stats, max),
        OtlpHttpReceiver.logs(ingest, executor, forwarder, stats, max),
        new SketchesReceiver(ingest, executor, stats, max));
    otlpHttp = h.build();
    ServerBuilder g = server(config.otlpGrpcPort);
    Routes.otlpGrpc(g, OtlpGrpcServices.all(ingest, executor, forwarder, stats), max);
    otlpGrpc = g.build();
    ServerBuilder a = server(config.httpPort);
    dashboard.register(a); // overview, live SSE, drift, alerts (issue 8); before the static files at /
    Routes.api(a, new QueryApi(query, clock), new PrometheusEndpoint(query, clock, this::health));
    api = a.build();
    otlpHttp.start().join();
    otlpGrpc.start().join();
    api.start().join();
  }

  private void startJobs() {
    long rollupMs = config.rollupInterval.toMillis();
    jobs.scheduleWithFixedDelay(() -> guarded("checkpoint", metrics::checkpoint), rollupMs, rollupMs, TimeUnit.MILLISECONDS);
    jobs.scheduleWithFixedDelay(() -> guarded("retention", metrics::applyRetention), 1, 10, TimeUnit.MINUTES);
    jobs.scheduleWithFixedDelay(() -> guarded("span eviction", spans::evict), 30, 30, TimeUnit.SECONDS);
  }

  @FunctionalInterface
  private interface Job {
    void run() throws Exception;
  }

  private static void guarded(String name, Job job) {
    try {
      job.run();
    } catch (Exception | Error e) { // a failed run must not cancel the schedule
      LOG.log(Level.WARNING, name + " failed", e);
    }
  }

  /** The collector's own figures for {@code /metrics}, in a stable order. */
  Map<String, Number> health() {
    Map<String, Number> m = new LinkedHashMap<>();
    stats.snapshot().forEach((k, v) -> {
      String[] p = k.split("\\|", 2);
      m.put("sketchtrace_collector_requests_total{signal=\"" + p[0] + "\",outcome=\"" + p[1] + "\"}", v);
    });
    m.put("sketchtrace_collector_points_stored_total", ingest.pointsStored());
    m.put("sketchtrace_collector_spans_stored_total", ingest.spansStored());
    m.put("sketchtrace_collector_log_records_received_total", ingest.logRecordsReceived());
    m.put("sketchtrace_collector_items_rejected_total", ingest.itemsRejected());
    m.put("sketchtrace_collector_wal_syncs_total", db.walSyncs());
    m.put("sketchtrace_collector_points_rolled_up_total", metrics.rolledUp());
    m.put("sketchtrace_collector_points_pending_rollup", metrics.pendingPoints());
    m.put("sketchtrace_collector_merge_conflicts_total", metrics.mergeConflicts());
    m.put("sketchtrace_collector_spans_evicted_total", spans.evicted());
    m.put("sketchtrace_collector_forwarded_total", forwarder.sent());
    m.put("sketchtrace_collector_forward_dropped_total", forwarder.dropped());
    registry.overflowPoints().forEach((k, v) -> m.put(
        "sketchtrace_collector_overflow_points_total" + PrometheusEndpoint.labels(Map.of("metric", k)), v));
    m.put("sketchtrace_collector_series", registry.size());
    m.put("sketchtrace_collector_ingest_queue", executor.queued());
    m.put("sketchtrace_collector_store_bytes", db.sizeOnDisk());
    m.put("sketchtrace_collector_span_store_bytes", spans.storedBytes());
    return m;
  }

  public int otlpHttpPort() { return otlpHttp.activeLocalPort(); }
  public int otlpGrpcPort() { return otlpGrpc.activeLocalPort(); }
  public int httpPort() { return api.activeLocalPort(); }
  public QueryService query() { return query; }
  public Dashboard dashboard() { return dashboard; }

  /** Writes the open buckets to the tiers now (tests, and before a clean shutdown). */
  public void rollupNow() throws Exception {
    metrics.checkpoint();
  }

  @Override
  public void close() {
    for (Server s : new Server[] {otlpHttp, otlpGrpc, api}) {
      if (s != null) s.stop().join();
    }
    jobs.shutdownNow(); // the rollup stops between chunks when interrupted
    boolean jobsStopped;
    try {
      jobsStopped = jobs.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jobsStopped = false;
    }
    executor.close();
    dashboard.close();
    workers.shutdownGracefully();
    // Closing RocksDB under a running job crashes the JVM in native code (seen: SIGSEGV in the
    // rollup's WriteBatch.put at SIGTERM). Acknowledged data is in the synced WAL either way, so
    // when a job does not stop the database is left for the process exit to release.
    if (jobsStopped) db.close();
  }
}
