package dev.sketchtrace.collector.store;

import dev.sketchtrace.sketch.QuantileSketch;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe: the tier buckets that points are folded into, held in memory so that a point costs
 * four in-memory merges instead of a read-modify-write in RocksDB per tier. Each bucket holds its
 * whole value: what the tier on disk held when the bucket was loaded, merged with every point
 * folded since. {@link MetricStore} writes the changed ("dirty") buckets at each checkpoint and
 * then evicts buckets nobody wrote to, so the number held stays near what recent traffic touches.
 *
 * <p>Locking: each series' buckets are guarded by their {@link SeriesBuckets} monitor (folds of one
 * request and readers of one series exclude each other per series, not globally). The caller
 * ({@link MetricStore}) keeps checkpoints and evictions apart from folds with its fold lock.
 *
 * <p>Memory: a clean bucket holds its encoded value (≈ 100–300 bytes for a latency histogram); a
 * dirty one its decoded sketch (≈ 0.5–1 KB). {@link MetricStore} caps both counts.
 */
final class OpenBuckets {
  /** Reads a bucket's value from the tier on disk (null when absent). */
  @FunctionalInterface
  interface Loader {
    byte[] load(Tier tier, long seriesId, long bucketStart) throws org.rocksdb.RocksDBException;
  }

  /** Not thread-safe (guarded by its series' monitor): one bucket of one tier. */
  private static final class Bucket {
    final Tier tier;
    final long start;
    byte[] stored; // the whole value when clean; what was last written (or loaded) when dirty
    ValueCodec.Accumulator value; // the whole value while dirty (not yet written); null when clean
    long touched; // epoch second of the last load or fold

    Bucket(Tier tier, long start) {
      this.tier = tier;
      this.start = start;
    }
  }

  /** Not thread-safe (guarded by its own monitor): the buckets of one series, per tier. */
  private static final class SeriesBuckets {
    final long id;
    final Kind kind;
    final EnumMap<Tier, TreeMap<Long, Bucket>> tiers = new EnumMap<>(Tier.class);
    final List<Bucket> dirty = new ArrayList<>(); // so a checkpoint visits only what changed
    boolean queued; // in dirtySeries

    SeriesBuckets(long id, Kind kind) {
      this.id = id;
      this.kind = kind;
      for (Tier t : Tier.values()) tiers.put(t, new TreeMap<>());
    }
  }

  /**
   * Not thread-safe: the buckets one point goes into (one per tier, null where the tier's bucket has
   * expired), found once by {@link #load} and folded into by {@link #fold}.
   */
  static final class Targets {
    private final SeriesBuckets series;
    private final long now;
    private final Bucket[] buckets = new Bucket[Tier.values().length];

    private Targets(SeriesBuckets series, long now) {
      this.series = series;
      this.now = now;
    }
  }

  /** Immutable: a dirty bucket's value taken for a checkpoint. */
  record Dirty(Tier tier, long seriesId, long bucketStart, byte[] value) {}

  private final Map<Long, SeriesBuckets> series = new ConcurrentHashMap<>();
  private final java.util.Queue<SeriesBuckets> dirtySeries = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private long lastIdleScan = Long.MIN_VALUE / 2; // epoch second (no overflow in now - it); by the checkpointing thread only
  private final Map<Tier, Long> retentionSeconds;
  private final Loader loader;
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong dirty = new AtomicLong();
  private final AtomicLong mergeConflicts;
  private final AtomicLong generation = new AtomicLong(); // evictions started

  OpenBuckets(Map<Tier, Long> retentionSeconds, Loader loader, AtomicLong mergeConflicts) {
    this.retentionSeconds = retentionSeconds;
    this.loader = loader;
    this.mergeConflicts = mergeConflicts;
  }

  long open() {
    return open.get();
  }

  long dirty() {
    return dirty.get();
  }

  /** Moves before any bucket is evicted (see {@link MetricStore.Reader}). */
  long generation() {
    return generation.get();
  }

  private boolean expired(Tier t, long bucketStart, long now) {
    return bucketStart + t.widthSeconds < now - retentionSeconds.get(t);
  }

  /**
   * The buckets a point of {@code seriesId} at {@code bucket10s} falls into, each loaded from disk
   * if not held yet. Changes no value, so a failure here leaves everything as it was. The caller
   * holds the fold lock until it has folded into them (no eviction in between).
   */
  Targets load(long seriesId, Kind kind, long bucket10s, long now) throws org.rocksdb.RocksDBException {
    SeriesBuckets sb = series.computeIfAbsent(seriesId, k -> new SeriesBuckets(k, kind));
    Targets targets = new Targets(sb, now);
    synchronized (sb) {
      for (Tier t : Tier.values()) {
        long start = t.bucketStart(bucket10s);
        if (expired(t, start, now)) continue;
        TreeMap<Long, Bucket> buckets = sb.tiers.get(t);
        Bucket b = buckets.get(start);
        if (b == null) {
          b = new Bucket(t, start);
          b.stored = loader.load(t, seriesId, start);
          b.touched = now;
          buckets.put(start, b);
          open.incrementAndGet();
        }
        targets.buckets[t.ordinal()] = b;
      }
    }
    return targets;
  }

  /**
   * Merges one point into its {@link #load}ed buckets. {@code decoded}: the point as a sketch for
   * an EXP_HISTOGRAM series (null: it is decoded here). A merge the value refuses is counted and
   * the older value kept.
   */
  void fold(Targets targets, byte[] value, QuantileSketch decoded) {
    SeriesBuckets sb = targets.series;
    if (sb.kind == Kind.EXP_HISTOGRAM && decoded == null) {
      decoded = decodeOrNull(value);
      if (decoded == null) return;
    }
    synchronized (sb) {
      for (Bucket b : targets.buckets) {
        if (b == null) continue;
        if (b.value == null) {
          b.value = reopen(sb.kind, b.stored);
          markDirty(sb, b);
        }
        add(b.value, decoded, value);
        b.touched = targets.now;
      }
    }
  }

  /**
   * Puts into {@code out} the value of every held bucket of {@code seriesId} at {@code tier}
   * starting in {@code [from, to)}, replacing what {@code out} had for those buckets. Returns the
   * {@link #generation} as of that read: a bucket of the series not held then was evicted (and so
   * written) before that generation began, or was never held.
   */
  long read(long seriesId, Tier tier, long from, long to, Map<Long, byte[]> out) {
    SeriesBuckets sb = series.get(seriesId);
    if (sb == null) return generation.get();
    synchronized (sb) {
      for (Map.Entry<Long, Bucket> e : sb.tiers.get(tier).subMap(from, to).entrySet()) {
        Bucket b = e.getValue();
        byte[] v = b.value != null ? b.value.toBytes() : b.stored;
        if (v != null) out.put(e.getKey(), v);
      }
      return generation.get();
    }
  }

  /**
   * Takes every dirty bucket's value and marks it clean (the caller holds the fold lock exclusively,
   * so the values hold exactly the points folded so far).
   */
  List<Dirty> takeDirty() {
    List<Dirty> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, dirty.get()));
    for (SeriesBuckets sb; (sb = dirtySeries.poll()) != null; ) {
      synchronized (sb) {
        for (Bucket b : sb.dirty) {
          byte[] v = b.value.toBytes();
          b.stored = v;
          b.value = null;
          if (v != null) out.add(new Dirty(b.tier, sb.id, b.start, v));
        }
        sb.dirty.clear();
        sb.queued = false;
      }
    }
    dirty.set(0);
    return out;
  }

  /** Under {@code sb}'s monitor: {@code b} just got a value to write. */
  private void markDirty(SeriesBuckets sb, Bucket b) {
    sb.dirty.add(b);
    dirty.incrementAndGet();
    if (!sb.queued) {
      sb.queued = true;
      dirtySeries.add(sb);
    }
  }

  /** Undoes {@link #takeDirty} for buckets whose write failed: they are dirty again (and kept). */
  void unwritten(List<Dirty> failed) {
    for (Dirty d : failed) {
      SeriesBuckets sb = series.get(d.seriesId());
      synchronized (sb) {
        Bucket b = sb.tiers.get(d.tier()).get(d.bucketStart());
        if (b == null || b.value != null) continue;
        b.value = reopen(sb.kind, b.stored);
        markDirty(sb, b);
      }
    }
  }

  /**
   * Drops clean buckets that no point reached for {@code idleSeconds}, and expired ones (a scan of
   * every held bucket, so at most every fifth of {@code idleSeconds}); then, while more than {@code
   * keep} are held, any clean bucket. Call only once every clean bucket's value is on disk (after
   * the checkpoint's write).
   */
  void evict(long idleSeconds, long keep, long now) {
    boolean idleScan = now - lastIdleScan >= idleSeconds / 5;
    if (!idleScan && open.get() <= keep) return;
    generation.incrementAndGet();
    if (idleScan) {
      lastIdleScan = now;
      evictWhere(b -> now - b.touched >= idleSeconds, now, Long.MIN_VALUE);
    }
    if (open.get() > keep) evictWhere(b -> true, now, keep);
  }

  private void evictWhere(java.util.function.Predicate<Bucket> idle, long now, long keep) {
    for (SeriesBuckets sb : series.values()) {
      synchronized (sb) {
        for (Map.Entry<Tier, TreeMap<Long, Bucket>> te : sb.tiers.entrySet()) {
          Tier t = te.getKey();
          for (Iterator<Map.Entry<Long, Bucket>> it = te.getValue().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Bucket> e = it.next();
            Bucket b = e.getValue();
            if (b.value != null) continue;
            if (idle.test(b) || expired(t, e.getKey(), now)) {
              it.remove();
              open.decrementAndGet();
              if (open.get() <= keep) return;
            }
          }
        }
      }
    }
  }

  /** An accumulator holding {@code stored} (null: empty), to merge points into. */
  private ValueCodec.Accumulator reopen(Kind kind, byte[] stored) {
    ValueCodec.Accumulator acc = new ValueCodec.Accumulator(kind);
    if (stored == null) return acc;
    if (kind != Kind.EXP_HISTOGRAM) {
      acc.add(stored);
    } else {
      QuantileSketch s = decodeOrNull(stored);
      if (s != null) acc.addOwned(s);
    }
    return acc;
  }

  private QuantileSketch decodeOrNull(byte[] v) {
    try {
      return QuantileSketch.fromBytes(v);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
      return null;
    }
  }

  private void add(ValueCodec.Accumulator acc, QuantileSketch decoded, byte[] value) {
    try {
      if (decoded != null) acc.add(decoded, value);
      else if (acc.kind() != Kind.EXP_HISTOGRAM) acc.add(value);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
    }
  }
}
