package dev.sketchtrace.collector.store;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: the metric points of every series.
 *
 * <h2>Write path</h2>
 * Ingest only appends: each point gets a sequence number and is put under the raw key
 * {@code seq | series | 10 s bucket} in its request's batch, so concurrent senders never
 * read-modify-write. After the synced write the points also enter an in-memory overlay (per
 * series) that queries read, because the raw log is ordered by sequence, not by series.
 *
 * <h2>Rollup</h2>
 * {@link #rollup} (one thread) reads the raw log in sequence order up to the <em>safe limit</em>
 * — below the first sequence of any write still in flight, so no point is ever skipped — merges
 * the points exactly into every tier, and in the same atomic batch range-deletes that stretch of
 * the log. A crash at any moment leaves each point counted exactly once: either still in the log
 * (and reloaded into the overlay at startup) or in the tiers.
 *
 * <h2>Reads</h2>
 * A {@link Reader} takes, under the read lock, a RocksDB snapshot and the rolled-up watermark
 * together (the rollup commits and moves the watermark under the write lock), then adds overlay
 * points above the watermark to what the tiers hold, so every acknowledged point is seen once.
 */
public final class MetricStore {
  private static final int ROLLUP_CHUNK = 50_000;

  private final Database db;
  private final Map<Tier, Long> retentionSeconds;
  private final Clock clock;
  private final AtomicLong rolledUp = new AtomicLong();
  private final AtomicLong mergeConflicts = new AtomicLong();

  private final Object seqLock = new Object();
  private long nextSeq; // guarded by seqLock
  private final TreeMap<Long, Integer> inFlight = new TreeMap<>(); // first seq → writes; guarded by seqLock

  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
  private volatile long watermark; // every seq <= watermark is in the tiers
  private final Map<Long, ConcurrentLinkedQueue<RawPoint>> overlay = new ConcurrentHashMap<>();

  /** Immutable: a point in the raw log, not yet rolled up. */
  private record RawPoint(long seq, long bucket10s, byte[] value) {}

  public MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock) {
    this.db = db;
    this.retentionSeconds = retentionSeconds;
    this.clock = clock;
    long first = -1;
    long last = 0;
    try (RocksIterator it = db.db.newIterator(db.raw)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] k = it.key();
        long seq = Keys.longAt(k, 0);
        if (first < 0) first = seq;
        last = seq;
        overlay.computeIfAbsent(Keys.longAt(k, 8), x -> new ConcurrentLinkedQueue<>()).add(new RawPoint(seq, Keys.longAt(k, 16), it.value()));
      }
    }
    this.watermark = first < 0 ? last : first - 1;
    this.nextSeq = Math.max(last + 1, 1);
  }

  public static Map<Tier, Long> defaultRetention() {
    Map<Tier, Long> m = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) m.put(t, t.defaultRetention.getSeconds());
    return m;
  }

  /** Not thread-safe: the points of one request's batch, between {@link #begin} and commit/abandon. */
  public final class PendingWrite {
    private final long firstSeq;
    private long next;
    private final Map<Long, java.util.List<RawPoint>> points = new HashMap<>();

    private PendingWrite(long firstSeq) {
      this.firstSeq = firstSeq;
      this.next = firstSeq;
    }

    /** Adds one point to {@code batch}; it is stored when the batch is written. */
    public void append(WriteBatch batch, long seriesId, long epochSecond, byte[] value) throws RocksDBException {
      long bucket = Tier.TEN_SECONDS.bucketStart(epochSecond);
      long seq = next++;
      batch.put(db.raw, Keys.raw(seq, seriesId, bucket), value);
      points.computeIfAbsent(seriesId, k -> new java.util.ArrayList<>()).add(new RawPoint(seq, bucket, value));
    }

    /**
     * Call once the batch is written (before its WAL sync): the points become visible to queries.
     * This runs on the ingest thread so that the one WAL-syncer thread, which completes whole groups
     * of requests, does not also do every request's overlay work. A point may so be seen a few
     * milliseconds before its request is acknowledged; should the sync fail, the point is still in
     * the raw log (and is rolled up), so what queries showed stays true.
     */
    public void written() {
      points.forEach((id, list) -> overlay.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).addAll(list));
      points.clear();
    }

    /**
     * Call when the write is settled — synced, failed to sync, or not written at all: the rollup may
     * now fold these sequence numbers (whatever of them is in the raw log).
     */
    public void finish() {
      synchronized (seqLock) {
        inFlight.computeIfPresent(firstSeq, (k, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  /** Reserves sequence numbers for at most {@code points} points of one batch. */
  public PendingWrite begin(int points) {
    synchronized (seqLock) {
      long first = nextSeq;
      nextSeq += Math.max(1, points);
      inFlight.merge(first, 1, Integer::sum);
      return new PendingWrite(first);
    }
  }

  private long safeLimit() {
    synchronized (seqLock) {
      return inFlight.isEmpty() ? nextSeq - 1 : inFlight.firstKey() - 1;
    }
  }

  public long rolledUp() {
    return rolledUp.get();
  }

  /** Merges that failed (e.g. sketches with different zero thresholds); the older value was kept. */
  public long mergeConflicts() {
    return mergeConflicts.get();
  }

  /** Points acknowledged but not yet rolled up into the tiers. */
  public long pendingPoints() {
    long n = 0;
    for (ConcurrentLinkedQueue<RawPoint> q : overlay.values()) n += q.size();
    return n;
  }

  /**
   * Merges the raw log up to the safe limit into the tiers and deletes it, atomically per chunk.
   * Returns the number of raw points folded.
   */
  public synchronized int rollup(SeriesRegistry registry) throws RocksDBException {
    int total = 0;
    long limit = safeLimit();
    long now = clock.millis() / 1000;
    // Each chunk commits atomically, so stopping between chunks is safe; shutdown interrupts this
    // thread and then closes the database, which must not happen under a running chunk.
    while (watermark < limit && !Thread.currentThread().isInterrupted()) {
      int n = 0;
      long lastSeq = watermark;
      Map<Long, Map<Tier, TreeMap<Long, ValueCodec.Accumulator>>> pending = new HashMap<>();
      java.util.Set<Long> touched = new java.util.HashSet<>();
      try (WriteBatch batch = new WriteBatch();
          ReadOptions ro = new ReadOptions().setIterateUpperBound(new org.rocksdb.Slice(Keys.raw(limit + 1, 0, 0)));
          RocksIterator it = db.db.newIterator(db.raw, ro)) {
        for (it.seek(Keys.raw(watermark + 1, 0, 0)); it.isValid() && n < ROLLUP_CHUNK; it.next(), n++) {
          byte[] key = it.key();
          lastSeq = Keys.longAt(key, 0);
          long seriesId = Keys.longAt(key, 8);
          long bucket = Keys.longAt(key, 16);
          touched.add(seriesId);
          Series s = registry.byId(seriesId);
          if (s == null) continue; // cannot happen: series and points are written in one batch
          Kind kind = s.identity().kind();
          byte[] value = it.value();
          // Decode once, merge into every tier's accumulator.
          dev.sketchtrace.sketch.QuantileSketch decoded = kind == Kind.EXP_HISTOGRAM ? decodeOrNull(value) : null;
          if (kind == Kind.EXP_HISTOGRAM && decoded == null) continue;
          Map<Tier, TreeMap<Long, ValueCodec.Accumulator>> perTier = pending.computeIfAbsent(seriesId, k -> new EnumMap<>(Tier.class));
          for (Tier t : Tier.values()) {
            long start = t.bucketStart(bucket);
            if (start + t.widthSeconds < now - retentionSeconds.get(t)) continue; // already expired
            ValueCodec.Accumulator acc = perTier.computeIfAbsent(t, k -> new TreeMap<>()).computeIfAbsent(start, k -> new ValueCodec.Accumulator(kind));
            addOrKeep(acc, decoded, value);
          }
        }
        if (n == 0) {
          lastSeq = limit; // nothing committed in (watermark, limit]: abandoned sequence numbers
        } else {
          for (Map.Entry<Long, Map<Tier, TreeMap<Long, ValueCodec.Accumulator>>> e : pending.entrySet()) {
            Kind kind = registry.byId(e.getKey()).identity().kind();
            for (Map.Entry<Tier, TreeMap<Long, ValueCodec.Accumulator>> te : e.getValue().entrySet()) {
              for (Map.Entry<Long, ValueCodec.Accumulator> be : te.getValue().entrySet()) {
                byte[] key = Keys.tier(te.getKey(), e.getKey(), be.getKey());
                byte[] existing = db.db.get(db.tiers.get(te.getKey()), key);
                ValueCodec.Accumulator acc = be.getValue();
                if (existing != null) addOrKeep(acc, kind == Kind.EXP_HISTOGRAM ? decodeOrNull(existing) : null, existing);
                byte[] merged = acc.toBytes();
                if (merged != null) batch.put(db.tiers.get(te.getKey()), key, merged);
              }
            }
          }
          if (n < ROLLUP_CHUNK) lastSeq = limit;
          batch.deleteRange(db.raw, Keys.raw(watermark + 1, 0, 0), Keys.raw(lastSeq + 1, 0, 0));
        }
        commitLock.writeLock().lock();
        try {
          if (n > 0) db.write(batch);
          watermark = lastSeq;
        } finally {
          commitLock.writeLock().unlock();
        }
      }
      long w = lastSeq;
      // Only the series this chunk folded can hold overlay points <= w (a point enters the overlay
      // only after its write, and the chunk read every committed point up to w), so only their
      // queues are trimmed — not every series' queue per chunk.
      for (Long seriesId : touched) {
        ConcurrentLinkedQueue<RawPoint> q = overlay.get(seriesId);
        // Empty queues stay (one per series at most): removing them would race with written().
        if (q != null) q.removeIf(p -> p.seq <= w);
      }
      total += n;
      rolledUp.addAndGet(n);
    }
    return total;
  }

  private dev.sketchtrace.sketch.QuantileSketch decodeOrNull(byte[] v) {
    try {
      return dev.sketchtrace.sketch.QuantileSketch.fromBytes(v);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
      return null;
    }
  }

  private void addOrKeep(ValueCodec.Accumulator acc, dev.sketchtrace.sketch.QuantileSketch decoded, byte[] value) {
    try {
      if (decoded != null) acc.add(decoded);
      else acc.add(value);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
    }
  }

  private byte[] mergeOrKeep(Kind kind, byte[] a, byte[] b) {
    try {
      return ValueCodec.merge(kind, a, b);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
      return a;
    }
  }

  /** Drops tier partitions that lie wholly before their retention. */
  public void applyRetention() throws RocksDBException {
    long now = clock.millis() / 1000;
    for (Tier t : Tier.values()) {
      long cutoff = t.partitionStart(now - retentionSeconds.get(t));
      if (cutoff <= 0) continue;
      db.db.deleteRange(db.tiers.get(t), new byte[24], ByteBuffer.allocate(24).putLong(cutoff).array());
    }
  }

  /** A consistent view for one query; not thread-safe, close it when done. */
  public Reader reader() {
    return new Reader();
  }

  /** Not thread-safe: reads buckets from one snapshot plus the overlay above its watermark. */
  public final class Reader implements AutoCloseable {
    private final Snapshot snapshot;
    private final long readWatermark;
    private final ReadOptions options;
    private final Map<Tier, RocksIterator> tierIterators = new EnumMap<>(Tier.class);

    private Reader() {
      commitLock.readLock().lock();
      try {
        snapshot = db.db.getSnapshot();
        readWatermark = watermark;
      } finally {
        commitLock.readLock().unlock();
      }
      options = new ReadOptions().setSnapshot(snapshot);
    }

    /**
     * The merged values of {@code series} at {@code tier}, keyed by bucket start (epoch seconds),
     * for buckets starting in {@code [fromSecond, toSecond)}; not-yet-rolled points included.
     */
    public TreeMap<Long, byte[]> buckets(Series series, Tier tier, long fromSecond, long toSecond) {
      Kind kind = series.identity().kind();
      long from = tier.bucketStart(fromSecond);
      TreeMap<Long, byte[]> out = new TreeMap<>();
      RocksIterator it = tierIterators.computeIfAbsent(tier, t -> db.db.newIterator(db.tiers.get(t), options));
      byte[] prefix = new byte[16];
      for (long p = tier.partitionStart(from); p < toSecond; p += tier.partitionSeconds) {
        ByteBuffer.wrap(prefix).putLong(p).putLong(series.id());
        for (it.seek(Keys.tier(tier, series.id(), Math.max(from, p))); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (!Arrays.equals(key, 0, 16, prefix, 0, 16)) break;
          long bucket = Keys.longAt(key, 16);
          if (bucket >= toSecond) break;
          out.put(bucket, it.value());
        }
      }
      ConcurrentLinkedQueue<RawPoint> pending = overlay.get(series.id());
      if (pending != null) {
        for (RawPoint p : pending) {
          if (p.seq <= readWatermark || p.bucket10s >= toSecond) continue;
          long bucket = tier.bucketStart(p.bucket10s);
          if (bucket < from) continue;
          out.merge(bucket, p.value, (a, b) -> mergeOrKeep(kind, a, b));
        }
      }
      return out;
    }

    /** All buckets of an EXP_HISTOGRAM series in the range merged, decoded; null when empty. */
    public dev.sketchtrace.sketch.QuantileSketch totalSketch(Series series, Tier tier, long fromSecond, long toSecond) {
      ValueCodec.Accumulator acc = new ValueCodec.Accumulator(Kind.EXP_HISTOGRAM);
      for (byte[] v : buckets(series, tier, fromSecond, toSecond).values()) addOrKeep(acc, decodeOrNull(v), v);
      return acc.sketch();
    }

    /** Every bucket of {@code cover} merged, decoded (EXP_HISTOGRAM series); null when empty. */
    public dev.sketchtrace.sketch.QuantileSketch totalSketch(Series series, Cover cover) {
      ValueCodec.Accumulator acc = new ValueCodec.Accumulator(Kind.EXP_HISTOGRAM);
      for (Cover.Segment g : cover.segments()) {
        for (byte[] v : buckets(series, g.tier(), g.from(), g.to()).values()) addOrKeep(acc, decodeOrNull(v), v);
      }
      return acc.sketch();
    }

    /** Every bucket of {@code cover} merged into one value; null when empty. */
    public byte[] total(Series series, Cover cover) {
      ValueCodec.Accumulator acc = new ValueCodec.Accumulator(series.identity().kind());
      for (Cover.Segment g : cover.segments()) {
        for (byte[] v : buckets(series, g.tier(), g.from(), g.to()).values()) addOrKeep(acc, null, v);
      }
      return acc.toBytes();
    }

    /** All buckets of {@code series} in the range merged into one value, or null when empty. */
    public byte[] total(Series series, Tier tier, long fromSecond, long toSecond) {
      Kind kind = series.identity().kind();
      byte[] acc = null;
      for (byte[] v : buckets(series, tier, fromSecond, toSecond).values()) {
        acc = acc == null ? v : mergeOrKeep(kind, acc, v);
      }
      return acc;
    }

    @Override
    public void close() {
      for (RocksIterator it : tierIterators.values()) it.close();
      options.close();
      db.db.releaseSnapshot(snapshot);
    }
  }

  /** Loads every series identity into {@code registry} (startup). */
  public static void loadSeries(Database db, SeriesRegistry registry) {
    try (RocksIterator it = db.db.newIterator(db.series)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        registry.restore(new Series(Keys.longAt(it.key(), 0), SeriesRegistry.decode(it.value())));
      }
    }
  }

  /** Puts a new series' identity into {@code batch}. */
  public void persistSeries(WriteBatch batch, Series s, byte[] encoded) {
    try {
      batch.put(db.series, Keys.id(s.id()), encoded);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }
}
