package dev.sketchtrace.collector.alerts;

import java.util.Map;

/**
 * Immutable: one thing that happened to a rule, as kept in the history and sent to notifiers.
 *
 * @param kind {@code transition} or {@code reminder}
 * @param value the measured value (NaN with no data); for anomaly rules the raw value, not the deviation
 * @param silenced true when a silence matched, so nothing was sent
 */
public record AlertEvent(
    String rule,
    String kind,
    AlertState from,
    AlertState to,
    double value,
    String detail,
    long atEpochMillis,
    boolean silenced,
    Map<String, String> labels) {
  public static final String TRANSITION = "transition";
  public static final String REMINDER = "reminder";

  public AlertEvent {
    labels = Map.copyOf(labels);
  }
}
