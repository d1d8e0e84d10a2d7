package dev.sketchtrace.collector.alerts;

import java.util.Locale;

/**
 * Immutable: what a rule measures over its window. A quantile of latency in seconds (from the merged
 * sketches, so it is the true quantile within the sketch's relative error), the request rate per
 * second, the error rate as a fraction of requests (0..1), or the number of requests (for absence).
 *
 * @param quantile in (0, 1) for {@link Kind#QUANTILE}; NaN otherwise
 */
public record Signal(Kind kind, double quantile) {
  public enum Kind {
    QUANTILE,
    RATE,
    ERROR_RATE,
    COUNT
  }

  public Signal {
    if (kind == Kind.QUANTILE && !(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1), got " + quantile);
    }
    if (kind != Kind.QUANTILE) quantile = Double.NaN;
  }

  public static Signal quantile(double q) {
    return new Signal(Kind.QUANTILE, q);
  }

  public static Signal of(Kind kind) {
    return new Signal(kind, Double.NaN);
  }

  /**
   * Parses {@code p50}, {@code p99}, {@code p99.9}, {@code rate}, {@code error_rate}, {@code count}.
   *
   * @throws IllegalArgumentException with the accepted forms when {@code text} is none of them
   */
  public static Signal parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "rate":
        return of(Kind.RATE);
      case "error_rate":
        return of(Kind.ERROR_RATE);
      case "count":
        return of(Kind.COUNT);
      default:
        if (t.startsWith("p") && t.length() > 1) {
          try {
            double pct = Double.parseDouble(t.substring(1));
            if (pct > 0 && pct < 100) return quantile(pct / 100.0);
          } catch (NumberFormatException ignored) {
            // falls through to the message below
          }
        }
        throw new IllegalArgumentException(
            "must be one of p<percentile> (e.g. p99), rate, error_rate, count; got '" + text + "'");
    }
  }

  /** The form {@link #parse} reads back. */
  @Override
  public String toString() {
    if (kind != Kind.QUANTILE) return kind.name().toLowerCase(Locale.ROOT);
    String pct = Double.toString(quantile * 100);
    if (pct.endsWith(".0")) pct = pct.substring(0, pct.length() - 2);
    return "p" + pct;
  }
}
