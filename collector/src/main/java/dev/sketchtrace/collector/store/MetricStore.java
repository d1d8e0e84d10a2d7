package dev.sketchtrace.collector.store;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: the metric points of every series.
 *
 * <p>Ingest only appends: each point is put under a unique raw key (series, 10 s bucket, sequence)
 * in the request's write batch, so concurrent senders never read-modify-write and never contend.
 * {@link #rollup()} (one thread) then merges raw points exactly into every tier and deletes them,
 * all in one atomic batch, so a crash at any moment leaves each point counted exactly once.
 * Readers take a snapshot and read the tier and the not-yet-rolled raw points from it, so a query
 * sees every acknowledged point once, whether or not it has been rolled up yet.
 */
public final class MetricStore {
  private static final int ROLLUP_CHUNK = 20_000;

  private final Database db;
  private final Map<Tier, Long> retentionSeconds;
  private final Clock clock;
  private final AtomicLong seq;
  private final AtomicLong rolledUp = new AtomicLong();
  private final AtomicLong mergeConflicts = new AtomicLong();

  public MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock) {
    this.db = db;
    this.retentionSeconds = retentionSeconds;
    this.clock = clock;
    // Sequence numbers only need to be unique per (series, bucket): start past anything written
    // before a restart by seeding from the wall clock in microseconds.
    this.seq = new AtomicLong(clock.millis() * 1000);
  }

  public static Map<Tier, Long> defaultRetention() {
    Map<Tier, Long> m = new java.util.EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) m.put(t, t.defaultRetention.getSeconds());
    return m;
  }

  /** Adds one point to {@code batch}; it is stored when the batch is written. */
  public void appendRaw(WriteBatch batch, long seriesId, long epochSecond, byte[] value) throws RocksDBException {
    batch.put(db.raw, Keys.raw(seriesId, Tier.TEN_SECONDS.bucketStart(epochSecond), seq.incrementAndGet()), value);
  }

  /** Raw points rolled up since start. */
  public long rolledUp() {
    return rolledUp.get();
  }

  /** Merges that failed (e.g. sketches with different zero thresholds); the older value was kept. */
  public long mergeConflicts() {
    return mergeConflicts.get();
  }

  /**
   * Merges every raw point into the tiers and deletes it, atomically per chunk. Called by one
   * thread at a time (the scheduler); returns the number of raw points folded.
   */
  public synchronized int rollup(SeriesRegistry registry) throws RocksDBException {
    int total = 0;
    long now = clock.millis() / 1000;
    while (true) {
      int n = 0;
      Map<Long, Map<Tier, TreeMap<Long, byte[]>>> pending = new HashMap<>();
      try (WriteBatch batch = new WriteBatch();
          RocksIterator it = db.db.newIterator(db.raw)) {
        for (it.seekToFirst(); it.isValid() && n < ROLLUP_CHUNK; it.next(), n++) {
          byte[] key = it.key();
          long seriesId = Keys.longAt(key, 0);
          long bucket = Keys.longAt(key, 8);
          Series s = registry.byId(seriesId);
          batch.delete(db.raw, key);
          if (s == null) continue; // cannot happen: series and points are written in one batch
          Kind kind = s.identity().kind();
          byte[] value = it.value();
          Map<Tier, TreeMap<Long, byte[]>> perTier = pending.computeIfAbsent(seriesId, k -> new java.util.EnumMap<>(Tier.class));
          for (Tier t : Tier.values()) {
            long start = t.bucketStart(bucket);
            if (start + t.widthSeconds < now - retentionSeconds.get(t)) continue; // already expired
            perTier.computeIfAbsent(t, k -> new TreeMap<>()).merge(start, value, (a, b) -> mergeOrKeep(kind, a, b));
          }
        }
        if (n == 0) return total;
        for (Map.Entry<Long, Map<Tier, TreeMap<Long, byte[]>>> e : pending.entrySet()) {
          Kind kind = registry.byId(e.getKey()).identity().kind();
          for (Map.Entry<Tier, TreeMap<Long, byte[]>> te : e.getValue().entrySet()) {
            for (Map.Entry<Long, byte[]> be : te.getValue().entrySet()) {
              byte[] key = Keys.tier(te.getKey(), e.getKey(), be.getKey());
              byte[] existing = db.db.get(db.tiers.get(te.getKey()), key);
              byte[] merged = existing == null ? be.getValue() : mergeOrKeep(kind, existing, be.getValue());
              batch.put(db.tiers.get(te.getKey()), key, merged);
            }
          }
        }
        db.write(batch);
      }
      total += n;
      rolledUp.addAndGet(n);
      if (n < ROLLUP_CHUNK) return total;
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
      byte[] from = new byte[24];
      byte[] to = ByteBuffer.allocate(24).putLong(cutoff).array();
      db.db.deleteRange(db.tiers.get(t), from, to);
    }
  }

  /** A consistent view for one query; not thread-safe, close it when done. */
  public Reader reader() {
    return new Reader();
  }

  /** Not thread-safe: reads buckets from one snapshot. */
  public final class Reader implements AutoCloseable {
    private final Snapshot snapshot = db.db.getSnapshot();
    private final ReadOptions options = new ReadOptions().setSnapshot(snapshot);
    private final Map<Tier, RocksIterator> tierIterators = new java.util.EnumMap<>(Tier.class);
    private final RocksIterator rawIterator = db.db.newIterator(db.raw, options);

    /**
     * The merged values of {@code series} at {@code tier}, keyed by bucket start (epoch seconds),
     * for buckets starting in {@code [fromSecond, toSecond)}; not-yet-rolled raw points included.
     */
    public TreeMap<Long, byte[]> buckets(Series series, Tier tier, long fromSecond, long toSecond) {
      Kind kind = series.identity().kind();
      long from = tier.bucketStart(fromSecond);
      TreeMap<Long, byte[]> out = new TreeMap<>();
      RocksIterator it = tierIterators.computeIfAbsent(tier, t -> db.db.newIterator(db.tiers.get(t), options));
      for (long p = tier.partitionStart(from); p < toSecond; p += tier.partitionSeconds) {
        byte[] prefix = ByteBuffer.allocate(16).putLong(p).putLong(series.id()).array();
        for (it.seek(Keys.tier(tier, series.id(), Math.max(from, p))); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (!Arrays.equals(key, 0, 16, prefix, 0, 16)) break;
          long bucket = Keys.longAt(key, 16);
          if (bucket >= toSecond) break;
          out.put(bucket, it.value());
        }
      }
      byte[] rawPrefix = Keys.id(series.id());
      for (rawIterator.seek(Keys.raw(series.id(), Tier.TEN_SECONDS.bucketStart(from), 0));
          rawIterator.isValid();
          rawIterator.next()) {
        byte[] key = rawIterator.key();
        if (!Arrays.equals(key, 0, 8, rawPrefix, 0, 8)) break;
        long bucket10 = Keys.longAt(key, 8);
        if (bucket10 >= toSecond) break;
        long bucket = tier.bucketStart(bucket10);
        if (bucket < from) continue;
        out.merge(bucket, rawIterator.value(), (a, b) -> mergeOrKeep(kind, a, b));
      }
      return out;
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
      rawIterator.close();
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
