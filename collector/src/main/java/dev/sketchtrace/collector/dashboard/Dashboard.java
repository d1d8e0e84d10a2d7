package dev.sketchtrace.collector.dashboard;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sketchtrace.collector.alerts.AlertService;
import dev.sketchtrace.collector.drift.DriftAnalyzer;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.store.MetricStore;
import dev.sketchtrace.collector.store.SeriesRegistry;
import dev.sketchtrace.collector.store.SpanStore;
import dev.sketchtrace.sketch.DriftThresholds;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything the collector's dashboard needs beyond the query API, in one object the collector
 * creates, registers on its API server and closes: the live overview feed, drift, and the alert
 * service evaluating rules over the store. The static pages themselves are the classpath folder
 * {@code dashboard/}, served by the collector's file service at {@code /}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Dashboard implements AutoCloseable {
  /** How often alert rules are evaluated. */
  public static final long ALERT_INTERVAL_MILLIS = 15_000;
  /** How often the live overview is pushed. */
  public static final long LIVE_PERIOD_MILLIS = 5_000;

  private final AlertService alerts;
  private final LiveFeed live;
  private final DashboardApi api;

  /**
   * @param alertRules the {@code --alert-rules} file, or null
   * @throws IOException when saved alert state exists but cannot be read
   */
  public Dashboard(QueryService query, MetricStore store, SpanStore spans, SeriesRegistry registry, Clock clock, Path dataDir,
      Path alertRules)
      throws IOException {
    SeriesSketches sketches = new SeriesSketches(store, registry, clock);
    Overview overview = new Overview(sketches, clock);
    this.alerts = new AlertService(clock, new StoreMetricQuery(sketches), dataDir, alertRules);
    this.live = new LiveFeed(overview::snapshot, LIVE_PERIOD_MILLIS);
    DriftAnalyzer drift = new DriftAnalyzer(new StoreDriftSource(sketches, query), clock, DriftThresholds.defaults());
    this.api = new DashboardApi(overview, live, sketches, drift, alerts, query, new SpanEvents(spans), clock);
    alerts.start(ALERT_INTERVAL_MILLIS);
  }

  /** Adds the dashboard, drift and alert endpoints to the API server. */
  public void register(ServerBuilder sb) {
    api.register(sb);
  }

  public AlertService alerts() {
    return alerts;
  }

  @Override
  public void close() {
    live.close();
    alerts.close();
  }
}
