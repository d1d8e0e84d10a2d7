package dev.sketchtrace.collector.alerts;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Immutable: while {@code startsAt <= now < endsAt}, notifications of every alert whose labels satisfy
 * all matchers are held back (they still change state and are kept in the history, marked silenced).
 * An alert's labels are the rule's own plus {@code alertname}, {@code service}, {@code route} (when
 * set), {@code signal} and {@code severity} (the state it moves to).
 */
public record Silence(
    String id, List<Matcher> matchers, long startsAtMillis, long endsAtMillis, String comment) {

  public Silence {
    matchers = List.copyOf(matchers);
    if (matchers.isEmpty()) throw new IllegalArgumentException("a silence needs at least one matcher");
    if (endsAtMillis <= startsAtMillis) throw new IllegalArgumentException("endsAt must be after startsAt");
  }

  public boolean activeAt(long nowMillis) {
    return startsAtMillis <= nowMillis && nowMillis < endsAtMillis;
  }

  public boolean matches(Map<String, String> labels) {
    for (Matcher m : matchers) {
      if (!m.matches(labels.get(m.label()))) return false;
    }
    return true;
  }

  /** Immutable: equality, or a full-match regular expression when {@code regex} is true. */
  public record Matcher(String label, String value, boolean regex) {
    public Matcher {
      if (label == null || label.isEmpty()) throw new IllegalArgumentException("label must not be empty");
      if (value == null) throw new IllegalArgumentException("value must not be null");
      if (regex) Pattern.compile(value); // fails fast on a bad pattern
    }

    boolean matches(String actual) {
      if (actual == null) return false;
      return regex ? Pattern.matches(value, actual) : value.equals(actual);
    }
  }
}
