package dev.sketchtrace.collector.alerts;

import java.time.Duration;
import java.util.Locale;

/** Reads and writes the short duration forms used in rule files and query strings: 30s, 5m, 1h, 7d. */
public final class Durations {
  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw bad(text);
      }
    }
    int unitAt = t.length() - (t.endsWith("ms") ? 2 : 1);
    if (unitAt <= 0) throw bad(text);
    long n;
    try {
      n = Long.parseLong(t.substring(0, unitAt));
    } catch (NumberFormatException e) {
      throw bad(text);
    }
    if (n < 0) throw bad(text);
    switch (t.substring(unitAt)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      case "d":
        return Duration.ofDays(n);
      default:
        throw bad(text);
    }
  }

  /** The shortest exact form among d, h, m, s, ms. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
    if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
    if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
    if (ms % 1000L == 0) return ms / 1000L + "s";
    return ms + "ms";
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "must be a duration like 30s, 5m, 1h, 7d (or ISO-8601 PT5M); got '" + text + "'");
  }
}
