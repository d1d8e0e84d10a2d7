package dev.sketchtrace.collector.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable: one alert rule, already validated by {@link AlertRuleParser}.
 *
 * <ul>
 *   <li>{@link Type#THRESHOLD}: WARNING when the value crosses {@code warning}, CRITICAL when it
 *       crosses {@code critical} ({@link Direction#ABOVE} or {@link Direction#BELOW}); either threshold
 *       may be NaN (absent).
 *   <li>{@link Type#ANOMALY}: WARNING / CRITICAL when the value is more than {@code warning} /
 *       {@code critical} standard deviations from its baseline (see {@link AnomalyBaseline}), in the
 *       given direction ({@link Direction#BOTH} for either way).
 *   <li>{@link Type#ABSENCE}: no thresholds; OK while the series has data, NO_DATA when it has none.
 * </ul>
 *
 * Every type goes to NO_DATA when its query returns nothing. A state is entered only after
 * {@code forCount} consecutive evaluations point to it (or worse), and left for a better one only after
 * {@code recoverFor} consecutive evaluations point there: that is the hysteresis that keeps a value
 * wobbling around a threshold from flapping the alert.
 *
 * @param route null for the whole service
 * @param reminder how often a still-firing alert is re-sent; {@link Duration#ZERO} for never
 * @param baselineDays for ANOMALY: how many previous days' same hour to use as the baseline
 * @param labels extra labels, matched by silences and sent with every notification
 */
public record AlertRule(
    String name,
    Type type,
    String service,
    String route,
    Signal signal,
    Duration window,
    Direction direction,
    double warning,
    double critical,
    int forCount,
    int recoverFor,
    Duration reminder,
    int baselineDays,
    Map<String, String> labels) {

  public enum Type {
    THRESHOLD,
    ANOMALY,
    ABSENCE
  }

  public enum Direction {
    ABOVE,
    BELOW,
    BOTH
  }

  public AlertRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(reminder, "reminder");
    labels = Map.copyOf(labels);
  }

  /**
   * The state one measurement points to, before hysteresis: for THRESHOLD the value itself, for
   * ANOMALY its signed distance from the baseline in standard deviations.
   */
  AlertState levelOf(double measure) {
    if (type == Type.ABSENCE) return AlertState.OK;
    double oriented;
    if (type == Type.ANOMALY) {
      oriented = direction == Direction.ABOVE ? measure : direction == Direction.BELOW ? -measure : Math.abs(measure);
      if (oriented > critical) return AlertState.CRITICAL;
      if (oriented > warning) return AlertState.WARNING;
      return AlertState.OK;
    }
    if (crosses(measure, critical)) return AlertState.CRITICAL;
    if (crosses(measure, warning)) return AlertState.WARNING;
    return AlertState.OK;
  }

  private boolean crosses(double value, double threshold) {
    if (Double.isNaN(threshold)) return false;
    return direction == Direction.BELOW ? value < threshold : value > threshold;
  }
}
