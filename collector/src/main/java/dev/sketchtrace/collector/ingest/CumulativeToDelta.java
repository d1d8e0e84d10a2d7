package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.SeriesIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe: turns CUMULATIVE points into deltas by remembering the previous point per
 * (resource, series, start time). The store only holds deltas, so cumulative and delta senders
 * merge alike.
 *
 * <ul>
 *   <li>A new start time (a restarted sender) begins a new stream.
 *   <li>The first point of a stream whose start time is after this collector started is stored
 *       whole: everything it counts happened while we were up. A first point that started before
 *       (the sender outlived a collector restart, or we missed earlier points) only becomes the
 *       baseline, because part of it may already be stored: undercounting once is preferred over
 *       counting twice.
 *   <li>A point smaller than its predecessor (a reset without a new start time) is stored whole.
 * </ul>
 *
 * Memory is bounded: at most {@link #MAX_STREAMS} streams, least recently used dropped first (a
 * dropped stream restarts with the baseline rule). Updates are staged per request and committed
 * only once the request is stored, so a rejected request leaves the baselines as they were.
 */
public final class CumulativeToDelta {
  static final int MAX_STREAMS = 200_000;

  /** Immutable: which stream a cumulative point belongs to. */
  public record StreamKey(Map<String, String> resource, SeriesIdentity series, long startUnixNano) {}

  private final long collectorStartNanos;
  private final Object lock = new Object();
  // guarded by lock
  private final LinkedHashMap<StreamKey, Object> previous =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamKey, Object> eldest) {
          return size() > MAX_STREAMS;
        }
      };

  public CumulativeToDelta(long collectorStartNanos) {
    this.collectorStartNanos = collectorStartNanos;
  }

  /** Not thread-safe: the updates of one request, applied by {@link #commit}. */
  public static final class Staging {
    private final List<Map.Entry<StreamKey, Object>> updates = new ArrayList<>();
  }

  /** What the caller should do with a cumulative point. */
  public enum Start { WHOLE, BASELINE_ONLY }

  /**
   * The previous point of {@code key} (staged updates of the same request first), or null; when
   * null, {@link #firstPoint} says whether to store the point whole.
   */
  public Object previous(StreamKey key, Staging staging) {
    for (int i = staging.updates.size() - 1; i >= 0; i--) {
      if (staging.updates.get(i).getKey().equals(key)) return staging.updates.get(i).getValue();
    }
    synchronized (lock) {
      return previous.get(key);
    }
  }

  public Start firstPoint(StreamKey key) {
    return key.startUnixNano() >= collectorStartNanos ? Start.WHOLE : Start.BASELINE_ONLY;
  }

  public void stage(Staging staging, StreamKey key, Object current) {
    staging.updates.add(Map.entry(key, current));
  }

  public void commit(Staging staging) {
    synchronized (lock) {
      for (Map.Entry<StreamKey, Object> e : staging.updates) previous.put(e.getKey(), e.getValue());
    }
  }

  public int streams() {
    synchronized (lock) {
      return previous.size();
    }
  }
}
