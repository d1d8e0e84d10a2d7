package dev.sketchtrace.collector.receiver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe: request counts per signal and outcome, for {@code /metrics}. */
public final class ReceiverStats {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public void count(String signal, String outcome) {
    counts.computeIfAbsent(signal + "|" + outcome, k -> new AtomicLong()).incrementAndGet();
  }

  /** "signal|outcome" → count, sorted. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
