package dev.sketchtrace.collector.api;

import com.linecorp.armeria.common.QueryParams;
import dev.sketchtrace.collector.query.TimeRange;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Not thread-safe (one per request): typed access to query parameters, each failure naming its parameter. */
final class Params {
  private final QueryParams params;
  private final Clock clock;

  Params(QueryParams params, Clock clock) {
    this.params = params;
    this.clock = clock;
  }

  String required(String name) throws BadParameterException {
    String v = params.get(name);
    if (v == null || v.isEmpty()) throw new BadParameterException(name, "parameter '" + name + "' is required");
    return v;
  }

  String optional(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** {@code from}/{@code to}: epoch milliseconds, {@code now} or {@code now-<n>(s|m|h|d)}; defaults: the last hour. */
  TimeRange range() throws BadParameterException {
    long now = clock.millis();
    long to = time("to", now, now);
    long from = time("from", to - 3_600_000L, now);
    if (from >= to) throw new BadParameterException("from", "'from' must be before 'to'");
    return new TimeRange(Math.floorDiv(from, 1000), Math.floorDiv(to + 999, 1000));
  }

  private long time(String name, long dflt, long now) throws BadParameterException {
    String v = optional(name);
    if (v == null) return dflt;
    if (v.equals("now")) return now;
    if (v.startsWith("now-")) return now - duration(name, v.substring(4));
    try {
      long t = Long.parseLong(v);
      if (t < 0) throw new NumberFormatException();
      return t;
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, "'" + name + "' must be epoch milliseconds, 'now' or 'now-<n>(s|m|h|d)'");
    }
  }

  long durationSeconds(String name, long dflt) throws BadParameterException {
    String v = optional(name);
    if (v == null) return dflt;
    long ms = duration(name, v);
    if (ms < 1000) throw new BadParameterException(name, "'" + name + "' must be at least 1s");
    return ms / 1000;
  }

  /** Milliseconds of {@code <n>(ms|s|m|h|d)}; a bare number is seconds. */
  private static long duration(String name, String v) throws BadParameterException {
    try {
      long unit;
      String n;
      if (v.endsWith("ms")) { unit = 1; n = v.substring(0, v.length() - 2); }
      else if (v.endsWith("s")) { unit = 1000; n = v.substring(0, v.length() - 1); }
      else if (v.endsWith("m")) { unit = 60_000; n = v.substring(0, v.length() - 1); }
      else if (v.endsWith("h")) { unit = 3_600_000; n = v.substring(0, v.length() - 1); }
      else if (v.endsWith("d")) { unit = 86_400_000; n = v.substring(0, v.length() - 1); }
      else { unit = 1000; n = v; }
      long x = Long.parseLong(n);
      if (x < 0 || x > 10L * 365 * 86_400_000 / unit) throw new NumberFormatException();
      return x * unit;
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, "'" + name + "' must be a duration like 30s, 5m, 1h, 7d");
    }
  }

  int integer(String name, int dflt, int min, int max) throws BadParameterException {
    String v = optional(name);
    if (v == null) return dflt;
    try {
      int x = Integer.parseInt(v);
      if (x < min || x > max) throw new NumberFormatException();
      return x;
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, "'" + name + "' must be an integer in " + min + ".." + max);
    }
  }

  Boolean bool(String name) throws BadParameterException {
    String v = optional(name);
    if (v == null) return null;
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw new BadParameterException(name, "'" + name + "' must be true or false");
  }

  /** Parameters {@code attr.<key>=<value>} as a filter map. */
  Map<String, String> attributeFilter() {
    Map<String, String> m = new TreeMap<>();
    for (String name : params.names()) {
      if (name.startsWith("attr.") && name.length() > 5) m.put(name.substring(5), params.get(name));
    }
    return m;
  }

  static byte[] traceId(String name, String v) throws BadParameterException {
    try {
      byte[] id = HexFormat.of().parseHex(v);
      if (id.length != 16) throw new IllegalArgumentException();
      return id;
    } catch (IllegalArgumentException e) {
      throw new BadParameterException(name, "'" + name + "' must be 32 hex characters");
    }
  }
}
