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
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: the metric points of every series.
 *
 * <h2>Write path</h2>
 * Ingest only appends: each point gets a sequence number, and all points of a request go into one
 * raw-log record ({@link RawRecord}, keyed by the request's first sequence number) in its batch, so
 * concurrent senders never read-modify-write and a request costs one put. Once written the points
 * also enter an in-memory overlay (per series) that queries read, because the raw log is ordered by
 * sequence, not by series.
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
  private final int rollupChunk;
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
  private final AtomicLong pending = new AtomicLong(); // points in the overlay

  /** Immutable: a point in the raw log, not yet rolled up. */
  private record RawPoint(long seq, long bucket10s, byte[] value) {}

  public MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock) {
    this(db, retentionSeconds, clock, ROLLUP_CHUNK);
  }

  /** {@code rollupChunk}: points folded per atomic rollup commit (tests use small chunks). */
  MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock, int rollupChunk) {
    this.db = db;
    this.rollupChunk = rollupChunk;
    this.retentionSeconds = retentionSeconds;
    this.clock = clock;
    long first = -1;
    long last = 0;
    try (RocksIterator it = db.db.newIterator(db.raw)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (first < 0) first = RawRecord.firstSeq(k);
        last = RawRecord.decode(k, it.value(), (seq, seriesId, bucket, value) -> {
          overlay.computeIfAbsent(seriesId, x -> new ConcurrentLinkedQueue<>()).add(new RawPoint(seq, bucket, value));
          pending.incrementAndGet();
        });
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

  /**
   * Not thread-safe: the points of one request, between {@link #begin} and {@link #finish}: {@link
   * #append} each, {@link #putInto} the request's batch, write it, then {@link #written}.
   */
  public final class PendingWrite {
    private final long firstSeq;
    private final long[] seriesIds;
    private final long[] buckets;
    private final byte[][] values;
    private int n;

    private PendingWrite(long firstSeq, int capacity) {
      this.firstSeq = firstSeq;
      this.seriesIds = new long[capacity];
      this.buckets = new long[capacity];
      this.values = new byte[capacity][];
    }

    /** Adds one point (at most as many as {@link #begin} reserved). */
    public void append(long seriesId, long epochSecond, byte[] value) {
      seriesIds[n] = seriesId;
      buckets[n] = Tier.TEN_SECONDS.bucketStart(epochSecond);
      values[n] = value;
      n++;
    }

    /** Puts the appended points into {@code batch} as one raw-log record (nothing when there are none). */
    public void putInto(WriteBatch batch) throws RocksDBException {
      if (n > 0) batch.put(db.raw, RawRecord.key(firstSeq), RawRecord.encode(seriesIds, buckets, values, n));
    }

    /**
     * Call once the batch is written (before its WAL sync): the points become visible to queries.
     * This runs on the ingest thread so that the one WAL-syncer thread, which completes whole groups
     * of requests, does not also do every request's overlay work. A point may so be seen a few
     * milliseconds before its request is acknowledged; should the sync fail, the point is still in
     * the raw log (and is rolled up), so what queries showed stays true.
     */
    public void written() {
      for (int i = 0; i < n; i++) {
        overlay.computeIfAbsent(seriesIds[i], k -> new ConcurrentLinkedQueue<>()).add(new RawPoint(firstSeq + i, buckets[i], values[i]));
      }
      pending.addAndGet(n);
      n = 0;
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
      return new PendingWrite(first, points);
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

  /**
   * Points written but not yet rolled up into the tiers: each is held in memory (the overlay) until
   * the rollup folds it, so ingest refuses new points while this is over its cap (see
   * {@link dev.sketchtrace.collector.ingest.IngestService#metricsBacklogFull}).
   */
  public long pendingPoints() {
    return pending.get();
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
      Chunk chunk = new Chunk(registry, now);
      long lastSeq = watermark;
      try (WriteBatch batch = new WriteBatch();
          ReadOptions ro = new ReadOptions().setIterateUpperBound(new org.rocksdb.Slice(RawRecord.key(limit + 1)));
          RocksIterator it = db.db.newIterator(db.raw, ro)) {
        // Whole records only: a chunk ends after the record that takes it to rollupChunk points.
        for (it.seek(RawRecord.key(watermark + 1)); it.isValid() && chunk.points < rollupChunk; it.next()) {
          lastSeq = RawRecord.decode(it.key(), it.value(), chunk);
        }
        if (chunk.points == 0) {
          lastSeq = limit; // nothing committed in (watermark, limit]: abandoned sequence numbers
        } else {
          mergeIntoTiers(chunk, batch);
          if (!it.isValid()) lastSeq = limit; // read to the limit: what lies between is abandoned
          batch.deleteRange(db.raw, RawRecord.key(watermark + 1), RawRecord.key(lastSeq + 1));
        }
        commitLock.writeLock().lock();
        try {
          if (chunk.points > 0) db.write(batch);
          watermark = lastSeq;
        } finally {
          commitLock.writeLock().unlock();
        }
      }
      long w = lastSeq;
      // Only the series this chunk folded can hold overlay points <= w (a point enters the overlay
      // only after its write, and the chunk read every committed point up to w), so only their
      // queues are trimmed — not every series' queue per chunk.
      for (Long seriesId : chunk.touched) {
        ConcurrentLinkedQueue<RawPoint> q = overlay.get(seriesId);
        // Empty queues stay (one per series at most): removing them would race with written().
        if (q != null) q.removeIf(p -> p.seq <= w);
      }
      // Every folded point was in the overlay (written() runs before finish()) and is now trimmed.
      pending.addAndGet(-chunk.points);
      total += chunk.points;
      rolledUp.addAndGet(chunk.points);
    }
    return total;
  }

  /** Adds each bucket's existing tier value to the chunk's accumulator and puts the merged value into {@code batch}. */
  private void mergeIntoTiers(Chunk chunk, WriteBatch batch) throws RocksDBException {
    for (Map.Entry<Long, Map<Tier, TreeMap<Long, ValueCodec.Accumulator>>> e : chunk.pending.entrySet()) {
      for (Map.Entry<Tier, TreeMap<Long, ValueCodec.Accumulator>> te : e.getValue().entrySet()) {
        ColumnFamilyHandle family = db.tiers.get(te.getKey());
        for (Map.Entry<Long, ValueCodec.Accumulator> be : te.getValue().entrySet()) {
          byte[] key = Keys.tier(te.getKey(), e.getKey(), be.getKey());
          byte[] existing = db.db.get(family, key);
          ValueCodec.Accumulator acc = be.getValue();
          if (existing != null) addOrKeep(acc, acc.kind() == Kind.EXP_HISTOGRAM ? decodeOrNull(existing) : null, existing);
          byte[] merged = acc.toBytes();
          if (merged != null) batch.put(family, key, merged);
        }
      }
    }
  }

  /** Not thread-safe: one rollup chunk's points, merged per series, tier and bucket (decoded once each). */
  private final class Chunk implements RawRecord.Visitor {
    final Map<Long, Map<Tier, TreeMap<Long, ValueCodec.Accumulator>>> pending = new HashMap<>();
    final java.util.Set<Long> touched = new java.util.HashSet<>();
    private final SeriesRegistry registry;
    private final long now;
    int points;

    Chunk(SeriesRegistry registry, long now) {
      this.registry = registry;
      this.now = now;
    }

    @Override
    public void point(long seq, long seriesId, long bucket, byte[] value) {
      points++;
      touched.add(seriesId);
      Series s = registry.byId(seriesId);
      if (s == null) return; // cannot happen: series and points are written in one batch
      Kind kind = s.identity().kind();
      dev.sketchtrace.sketch.QuantileSketch decoded = kind == Kind.EXP_HISTOGRAM ? decodeOrNull(value) : null;
      if (kind == Kind.EXP_HISTOGRAM && decoded == null) return;
      Map<Tier, TreeMap<Long, ValueCodec.Accumulator>> perTier = pending.computeIfAbsent(seriesId, k -> new EnumMap<>(Tier.class));
      for (Tier t : Tier.values()) {
        long start = t.bucketStart(bucket);
        if (start + t.widthSeconds < now - retentionSeconds.get(t)) continue; // already expired
        ValueCodec.Accumulator acc = perTier.computeIfAbsent(t, k -> new TreeMap<>()).computeIfAbsent(start, k -> new ValueCodec.Accumulator(kind));
        addOrKeep(acc, decoded, value);
      }
    }
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
      if (decoded != null) acc.add(decoded, value);
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
