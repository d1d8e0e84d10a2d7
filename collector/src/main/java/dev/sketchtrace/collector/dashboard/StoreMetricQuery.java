package dev.sketchtrace.collector.dashboard;

import dev.sketchtrace.collector.alerts.MetricQuery;
import dev.sketchtrace.collector.alerts.Signal;
import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The alert engine's {@link MetricQuery} over the collector's store: the server-duration series of a
 * service (and route, matched as {@code http.route} or as {@code METHOD route}) merged exactly over
 * the window. The window is read in 10 s steps (whole 10 s buckets, the store's finest resolution)
 * ending at the bucket that contains {@code to}. Thread-safe.
 */
public final class StoreMetricQuery implements MetricQuery {
  private final SeriesSketches sketches;

  public StoreMetricQuery(SeriesSketches sketches) {
    this.sketches = sketches;
  }

  @Override
  public OptionalDouble value(Signal signal, String service, String route, Instant from, Instant to) {
    long step = 10;
    long toSec = Math.floorDiv(to.getEpochSecond() + step - 1, step) * step;
    long fromSec = Math.floorDiv(from.getEpochSecond(), step) * step;
    int n = (int) Math.max(1, (toSec - fromSec) / step);
    Map<String, SeriesSketches.Steps> groups =
        sketches.read(
            SeriesSketches.SERVER_DURATION,
            s -> s.identity().service().equals(service) && (route == null || matches(s, route)),
            s -> "all", fromSec, step, n);
    SeriesSketches.Steps all = groups.get("all");
    QuantileSketch total = all == null ? null : all.total();
    if (total == null || total.count() == 0) return OptionalDouble.empty();
    switch (signal.kind()) {
      case QUANTILE:
        return OptionalDouble.of(total.quantile(signal.quantile()));
      case RATE:
        return OptionalDouble.of(total.count() / (double) (n * step));
      case ERROR_RATE:
        return OptionalDouble.of(all.totalErrors() / (double) total.count());
      case COUNT:
        return OptionalDouble.of(total.count());
      default:
        throw new AssertionError(signal);
    }
  }

  private static boolean matches(dev.sketchtrace.collector.store.Series s, String route) {
    String r = s.identity().attributes().get("http.route");
    return route.equals(r) || route.equals(SeriesSketches.routeOf(s));
  }
}
