package dev.sketchtrace.collector.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Immutable: the baseline an anomaly rule compares its current value against, as a mean and standard
 * deviation of earlier windows of the same length.
 *
 * <p>Where history exists, the earlier windows are the same time of day on each of the previous
 * {@code baselineDays} days (traffic is daily-seasonal: 3 a.m. is compared with 3 a.m.). When fewer
 * than {@link #MIN_SAMPLES} of those days have data (a young collector), the baseline is the
 * {@link #TRAILING_WINDOWS} windows immediately before the current one. With still fewer samples there
 * is no baseline and the rule stays OK, saying so in its detail.
 *
 * @param source {@code same-hour}, {@code trailing} or {@code none}
 */
public record AnomalyBaseline(double mean, double stddev, int samples, String source) {
  public static final int MIN_SAMPLES = 3;
  public static final int TRAILING_WINDOWS = 12;

  public boolean usable() {
    return samples >= MIN_SAMPLES;
  }

  /**
   * The signed distance of {@code value} from the mean in standard deviations. A perfectly flat
   * baseline (stddev 0) uses a floor of 1e-9 + 0.1 % of the mean, so an exact repeat scores 0 and any
   * real departure from a constant scores high rather than dividing by zero.
   */
  public double deviations(double value) {
    double floor = 1e-9 + Math.abs(mean) * 1e-3;
    return (value - mean) / Math.max(stddev, floor);
  }

  public static AnomalyBaseline of(MetricQuery query, AlertRule rule, Instant now) {
    Duration w = rule.window();
    List<Double> samples = new ArrayList<>();
    for (int d = 1; d <= rule.baselineDays(); d++) {
      Duration back = Duration.ofDays(d);
      add(samples, query.value(rule.signal(), rule.service(), rule.route(), now.minus(w).minus(back), now.minus(back)));
    }
    String source = "same-hour";
    if (samples.size() < MIN_SAMPLES) {
      samples.clear();
      source = "trailing";
      for (int i = 1; i <= TRAILING_WINDOWS; i++) {
        Instant to = now.minus(w.multipliedBy(i));
        add(samples, query.value(rule.signal(), rule.service(), rule.route(), to.minus(w), to));
      }
    }
    if (samples.size() < MIN_SAMPLES) return new AnomalyBaseline(Double.NaN, Double.NaN, samples.size(), "none");
    double mean = 0;
    for (double s : samples) mean += s;
    mean /= samples.size();
    double ss = 0;
    for (double s : samples) ss += (s - mean) * (s - mean);
    double stddev = Math.sqrt(ss / (samples.size() - 1));
    return new AnomalyBaseline(mean, stddev, samples.size(), source);
  }

  private static void add(List<Double> samples, OptionalDouble v) {
    if (v.isPresent() && Double.isFinite(v.getAsDouble())) samples.add(v.getAsDouble());
  }
}
