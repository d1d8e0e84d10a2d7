package dev.sketchtrace.collector.dashboard;

import dev.sketchtrace.collector.store.Kind;
import dev.sketchtrace.collector.store.MetricStore;
import dev.sketchtrace.collector.store.Series;
import dev.sketchtrace.collector.store.SeriesRegistry;
import dev.sketchtrace.collector.store.Tier;
import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads latency sketches from the collector's store, merged exactly per step and per group: the one
 * reading primitive the overview, the alert queries and drift share. Every exponential-histogram series
 * of a service and metric is one sender's (route, status, error) combination; a group merges the series
 * that differ only in outcome, counting those that failed as errors.
 *
 * <p>Thread-safe: each call takes its own store snapshot.
 */
public final class SeriesSketches {
  public static final String SERVER_DURATION = "http.server.request.duration";
  public static final String DB_DURATION = "db.client.operation.duration";

  private final MetricStore store;
  private final SeriesRegistry registry;
  private final Clock clock;

  public SeriesSketches(MetricStore store, SeriesRegistry registry, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
  }

  /** Mutable per-step data of one group; not thread-safe (built by one call). */
  public static final class Steps {
    public final QuantileSketch[] latency;
    public final long[] errors;

    Steps(int n) {
      latency = new QuantileSketch[n];
      errors = new long[n];
    }

    /** Everything merged into one sketch (null when empty) */
    public QuantileSketch total() {
      QuantileSketch acc = null;
      for (QuantileSketch q : latency) {
        if (q == null) continue;
        if (acc == null) acc = q.copy();
        else acc.merge(q);
      }
      return acc;
    }

    public long totalErrors() {
      long e = 0;
      for (long x : errors) e += x;
      return e;
    }
  }

  /**
   * Groups the exponential-histogram series of {@code metric} that {@code filter} accepts, by
   * {@code group} of their (service, attributes), and merges each group's points into {@code steps}
   * steps of {@code stepSeconds} from {@code fromSecond}. Reads the finest tier whose width divides
   * the step and whose retention still covers the start.
   *
   * @param group null keys leave a series out
   */
  public Map<String, Steps> read(
      String metric, Predicate<Series> filter, Function<Series, String> group, long fromSecond, long stepSeconds, int steps) {
    Tier tier = tierFor(fromSecond, stepSeconds);
    Map<String, Steps> out = new LinkedHashMap<>();
    long to = fromSecond + stepSeconds * steps;
    try (MetricStore.Reader reader = store.reader()) {
      for (Series s : registry.all()) {
        if (s.identity().kind() != Kind.EXP_HISTOGRAM || !s.identity().metric().equals(metric) || !filter.test(s)) continue;
        String key = group.apply(s);
        if (key == null) continue;
        boolean error = isError(s.identity().attributes());
        Steps acc = null;
        for (Map.Entry<Long, byte[]> b : reader.buckets(s, tier, fromSecond, to).entrySet()) {
          int i = (int) Math.floorDiv(b.getKey() - fromSecond, stepSeconds);
          if (i < 0 || i >= steps) continue;
          QuantileSketch q = QuantileSketch.fromBytes(b.getValue());
          if (acc == null) acc = out.computeIfAbsent(key, k -> new Steps(steps));
          try {
            if (acc.latency[i] == null) acc.latency[i] = q;
            else acc.latency[i].merge(q);
          } catch (IllegalArgumentException differentZeroThreshold) {
            continue; // cannot be merged exactly; leaving it out is better than a wrong quantile
          }
          if (error) acc.errors[i] += q.count();
        }
      }
    }
    return out;
  }

  /** The tier for steps of {@code stepSeconds} reaching back to {@code fromSecond}. */
  Tier tierFor(long fromSecond, long stepSeconds) {
    long age = clock.millis() / 1000 - fromSecond;
    Tier chosen = Tier.TEN_SECONDS;
    for (Tier t : Tier.values()) {
      if (stepSeconds % t.widthSeconds == 0 && fromSecond % t.widthSeconds == 0) chosen = t;
    }
    // the coarsest tier that divides the step; move coarser only if the finer ones have expired
    for (Tier t : Tier.values()) {
      if (t.widthSeconds > chosen.widthSeconds && age > chosen.defaultRetention.getSeconds()) chosen = t;
    }
    return chosen;
  }

  /** A failed call: an {@code error.type}, or an HTTP status of 500 and above. */
  public static boolean isError(Map<String, String> attrs) {
    String type = attrs.get("error.type");
    if (type != null && !type.isEmpty()) return true;
    String status = attrs.get("http.response.status_code");
    if (status == null) return false;
    try {
      return Integer.parseInt(status) >= 500;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** {@code GET /owners/{id}} for a server series; null when it has no route. */
  public static String routeOf(Series s) {
    Map<String, String> a = s.identity().attributes();
    String route = a.get("http.route");
    if (route == null || route.isEmpty()) return null;
    String method = a.get("http.request.method");
    return method == null || method.isEmpty() ? route : method + " " + route;
  }

  /** {@code SELECT owners} for a database series; null when it has no operation name. */
  public static String dbOperationOf(Series s) {
    Map<String, String> a = s.identity().attributes();
    String op = a.get("db.operation.name");
    if (op == null || op.isEmpty()) op = a.get("db.query.summary");
    if (op == null || op.isEmpty()) return null;
    String coll = a.get("db.collection.name");
    return coll == null || coll.isEmpty() ? op : op + " " + coll;
  }

  /** Services with any series, as the registry knows them. */
  public List<String> services() {
    java.util.TreeSet<String> s = new java.util.TreeSet<>();
    for (Series series : registry.all()) s.add(series.identity().service());
    return List.copyOf(s);
  }
}
