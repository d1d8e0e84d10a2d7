package dev.sketchtrace.collector.alerts;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * What the alert engine reads: one number for a service (and optionally one route) over a window.
 * Implemented over the collector's query layer; tests implement it with a table. Implementations must
 * be safe to call from the evaluation thread while data is being ingested.
 */
@FunctionalInterface
public interface MetricQuery {
  /**
   * @param route null for the whole service
   * @return the signal's value over {@code [from, to)}, or empty when nothing was recorded for the
   *     series in that window (which is what {@link AlertState#NO_DATA} is made of)
   */
  OptionalDouble value(Signal signal, String service, String route, Instant from, Instant to);
}
