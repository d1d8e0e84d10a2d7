package dev.sketchtrace.collector.store;

import dev.sketchtrace.sketch.QuantileSketch;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: the metric points of every series.
 *
 * <h2>Write path</h2>
 * Ingest appends each request's points as one raw-log record ({@link RawRecord}, keyed by the
 * request's first sequence number) in the request's batch — one put per request. Right after the
 * write the ingest thread folds the points into the {@link OpenBuckets}: the in-memory bucket of
 * every tier each point falls into, loaded from disk the first time it is needed. Queries read
 * those buckets, so a point is visible once written.
 *
 * <h2>Checkpoint</h2>
 * {@link #checkpoint} writes every bucket changed since the last one and deletes the raw-log records
 * folded into them, in one atomic batch. A crash at any moment so leaves each point counted exactly
 * once: its record is either still in the raw log (and folded again at startup, into buckets loaded
 * from tiers that do not hold it) or deleted in the same batch that wrote the buckets holding it.
 * The raw log is the durable record of what was acknowledged; the tiers lag it by at most one
 * checkpoint. Checkpoints run on the collector's schedule and, under load, whenever {@link
 * #pendingPoints} or the held buckets reach their thresholds. Why buckets are written at every
 * checkpoint rather than once when their interval closes: the raw log can only be trimmed of points
 * whose buckets are on disk, and a one-hour bucket would otherwise pin an hour of raw log.
 *
 * <h2>Memory</h2>
 * At most {@code maxOpenBuckets} buckets are held (default {@value #MAX_OPEN_BUCKETS}): reaching it
 * starts a checkpoint. Each checkpoint evicts buckets idle for {@value #IDLE_SECONDS} s and, if need
 * be, any written bucket down to three quarters of the cap. Dirty buckets (decoded sketches, the larger form) start a
 * checkpoint at a quarter of it. Ingest refuses metrics ({@link #openBucketsFull}) if a checkpoint
 * cannot bring the count down (a failing disk).
 *
 * <h2>Reads</h2>
 * A {@link Reader} reads a series' held buckets under that series' lock, and the tiers from a
 * RocksDB snapshot for the rest. Buckets are evicted only after the checkpoint that wrote them,
 * and eviction moves {@link OpenBuckets#generation}; a reader that sees a newer generation than its
 * snapshot takes a new snapshot, so a bucket is always found in one place or the other.
 */
public final class MetricStore {
  private static final Logger LOG = Logger.getLogger(MetricStore.class.getName());
  static final int MAX_OPEN_BUCKETS = 1_000_000;
  /**
   * A written bucket no point reached for this long is evicted: longer than common export intervals
   * (10–60 s), so a series' current buckets stay in memory between two exports.
   */
  static final long IDLE_SECONDS = 300;

  private final Database db;
  private final Map<Tier, Long> retentionSeconds;
  private final Clock clock;
  private final long maxOpenBuckets;
  private final AtomicLong mergeConflicts = new AtomicLong();
  private final OpenBuckets open;
  private final AtomicLong nextSeq;

  /**
   * Held shared by every fold (a whole request at a time) and exclusively by a checkpoint while it
   * takes the dirty buckets and the folded records, so the two always match.
   */
  private final ReentrantReadWriteLock foldLock = new ReentrantReadWriteLock();
  private final ConcurrentLinkedQueue<byte[]> foldedRecords = new ConcurrentLinkedQueue<>(); // raw-log keys since the last checkpoint
  private final AtomicLong pending = new AtomicLong(); // points in foldedRecords
  private final AtomicLong checkpointed = new AtomicLong();
  private final AtomicLong unfolded = new AtomicLong();
  private final ReentrantLock checkpointLock = new ReentrantLock();

  public MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock) {
    this(db, retentionSeconds, clock, MAX_OPEN_BUCKETS);
  }

  /** Folds every record left in the raw log (points acknowledged but not checkpointed before a stop). */
  MetricStore(Database db, Map<Tier, Long> retentionSeconds, Clock clock, long maxOpenBuckets) {
    this.db = db;
    this.retentionSeconds = retentionSeconds;
    this.clock = clock;
    this.maxOpenBuckets = maxOpenBuckets;
    this.open = new OpenBuckets(retentionSeconds, (t, id, start) -> db.db.get(db.tiers.get(t), Keys.tier(t, id, start)), mergeConflicts);
    Map<Long, Kind> kinds = new HashMap<>();
    try (RocksIterator it = db.db.newIterator(db.series)) {
      for (it.seekToFirst(); it.isValid(); it.next()) kinds.put(Keys.longAt(it.key(), 0), SeriesRegistry.decode(it.value()).kind());
    }
    long last = 0;
    long now = clock.millis() / 1000;
    try (RocksIterator it = db.db.newIterator(db.raw)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        int[] points = new int[1];
        try {
          last = RawRecord.decode(key, it.value(), (seq, seriesId, bucket, value) -> {
            Kind kind = kinds.get(seriesId);
            if (kind == null) return; // cannot happen: series and points are written in one batch
            try {
              open.fold(open.load(seriesId, kind, bucket, now), value, null);
            } catch (RocksDBException e) {
              throw new IllegalStateException("cannot read tier buckets at startup: " + e.getMessage(), e);
            }
            points[0]++;
          });
        } finally {
          foldedRecords.add(key);
          pending.addAndGet(points[0]);
        }
        checkpointIfDue();
      }
    }
    this.nextSeq = new AtomicLong(Math.max(last + 1, 1));
  }

  public static Map<Tier, Long> defaultRetention() {
    Map<Tier, Long> m = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) m.put(t, t.defaultRetention.getSeconds());
    return m;
  }

  /**
   * Not thread-safe: the points of one request: {@link #append} each, {@link #putInto} the request's
   * batch, write it, then {@link #written}.
   */
  public final class PendingWrite {
    private final long firstSeq;
    private final long[] seriesIds;
    private final Kind[] kinds;
    private final long[] buckets;
    private final byte[][] values;
    private final QuantileSketch[] sketches;
    private int n;

    private PendingWrite(long firstSeq, int capacity) {
      this.firstSeq = firstSeq;
      this.seriesIds = new long[capacity];
      this.kinds = new Kind[capacity];
      this.buckets = new long[capacity];
      this.values = new byte[capacity][];
      this.sketches = new QuantileSketch[capacity];
    }

    /**
     * Adds one point (at most as many as {@link #begin} reserved). {@code decoded}: {@code value} as
     * a sketch when the caller has it (EXP_HISTOGRAM; saves decoding it again), else null. Neither
     * is changed afterwards.
     */
    public void append(Series series, long epochSecond, byte[] value, QuantileSketch decoded) {
      seriesIds[n] = series.id();
      kinds[n] = series.identity().kind();
      buckets[n] = Tier.TEN_SECONDS.bucketStart(epochSecond);
      values[n] = value;
      sketches[n] = decoded;
      n++;
    }

    /** Puts the appended points into {@code batch} as one raw-log record (nothing when there are none). */
    public void putInto(WriteBatch batch) throws RocksDBException {
      if (n > 0) batch.put(db.raw, RawRecord.key(firstSeq), RawRecord.encode(seriesIds, buckets, values, n));
    }

    /**
     * Call once the batch is written (before its WAL sync): folds the points into the open buckets,
     * where queries see them. A point may so be seen a few milliseconds before its request is
     * acknowledged; should the sync fail, the point is still in the raw log (and the client is told
     * to retry: at-least-once on a failing disk). Never throws: if a bucket cannot be read from disk,
     * the record is left unfolded in the raw log (counted, folded at the next start).
     */
    public void written() {
      if (n == 0) return;
      long now = clock.millis() / 1000;
      OpenBuckets.Targets[] targets = new OpenBuckets.Targets[n];
      foldLock.readLock().lock();
      try {
        try {
          for (int i = 0; i < n; i++) targets[i] = open.load(seriesIds[i], kinds[i], buckets[i], now);
        } catch (RocksDBException | RuntimeException e) {
          if (unfolded.getAndAdd(n) == 0) LOG.log(Level.WARNING, "cannot read tier buckets; points stay in the raw log until restart", e);
          return;
        }
        for (int i = 0; i < n; i++) open.fold(targets[i], values[i], sketches[i]);
        foldedRecords.add(RawRecord.key(firstSeq));
        pending.addAndGet(n);
      } finally {
        foldLock.readLock().unlock();
        n = 0;
      }
      try {
        checkpointIfDue();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "checkpoint failed", e);
      }
    }
  }

  /** Reserves sequence numbers for at most {@code points} points of one batch. */
  public PendingWrite begin(int points) {
    return new PendingWrite(nextSeq.getAndAdd(Math.max(1, points)), points);
  }

  /** Points written into the tiers by checkpoints since start. */
  public long rolledUp() {
    return checkpointed.get();
  }

  /** Merges that failed (e.g. sketches with different zero thresholds); the older value was kept. */
  public long mergeConflicts() {
    return mergeConflicts.get();
  }

  /** Points left unfolded because a tier bucket could not be read (they stay in the raw log). */
  public long unfoldedPoints() {
    return unfolded.get();
  }

  /**
   * Points acknowledged but not yet in the tiers (only in the raw log and the open buckets): a
   * restart folds them again, so ingest refuses new points while this is over its cap (see
   * {@link dev.sketchtrace.collector.ingest.IngestService#metricsBacklogFull}).
   */
  public long pendingPoints() {
    return pending.get();
  }

  /** Tier buckets held in memory. */
  public long openBuckets() {
    return open.open();
  }

  /** True while more buckets are held than a checkpoint can bring down (a failing disk): refuse metrics. */
  public boolean openBucketsFull() {
    return open.open() >= maxOpenBuckets + maxOpenBuckets / 4;
  }

  private void checkpointIfDue() {
    long quarter = maxOpenBuckets / 4;
    boolean due = pending.get() >= quarter || open.dirty() >= quarter || open.open() >= maxOpenBuckets;
    if (!due || !checkpointLock.tryLock()) return;
    try {
      checkpoint();
    } catch (RocksDBException e) {
      throw new IllegalStateException("checkpoint failed: " + e.getMessage(), e);
    } finally {
      checkpointLock.unlock();
    }
  }

  /**
   * Writes every changed bucket and deletes the raw-log records folded into them, atomically; then
   * evicts idle buckets. Returns the number of points the written records held. On a failed write
   * nothing is lost: the buckets stay dirty and the records stay in the raw log.
   */
  public int checkpoint() throws RocksDBException {
    checkpointLock.lock();
    try {
      List<OpenBuckets.Dirty> dirty;
      List<byte[]> records = new ArrayList<>();
      long points;
      foldLock.writeLock().lock();
      try {
        dirty = open.takeDirty();
        for (byte[] k; (k = foldedRecords.poll()) != null; ) records.add(k);
        points = pending.getAndSet(0);
      } finally {
        foldLock.writeLock().unlock();
      }
      try (WriteBatch batch = new WriteBatch()) {
        for (OpenBuckets.Dirty d : dirty) batch.put(db.tiers.get(d.tier()), Keys.tier(d.tier(), d.seriesId(), d.bucketStart()), d.value());
        for (byte[] k : records) batch.delete(db.raw, k);
        db.write(batch);
      } catch (RocksDBException | RuntimeException e) {
        open.unwritten(dirty);
        foldedRecords.addAll(records);
        pending.addAndGet(points);
        throw e;
      }
      checkpointed.addAndGet(points);
      foldLock.writeLock().lock();
      try {
        open.evict(IDLE_SECONDS, maxOpenBuckets - maxOpenBuckets / 4, clock.millis() / 1000);
      } finally {
        foldLock.writeLock().unlock();
      }
      return (int) points;
    } finally {
      checkpointLock.unlock();
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

  private QuantileSketch decodeOrNull(byte[] v) {
    try {
      return QuantileSketch.fromBytes(v);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
      return null;
    }
  }

  private void addOrKeep(ValueCodec.Accumulator acc, QuantileSketch decoded, byte[] value) {
    try {
      if (decoded != null) acc.add(decoded, value);
      else acc.add(value);
    } catch (RuntimeException e) {
      mergeConflicts.incrementAndGet();
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

  /** Not thread-safe: reads the held buckets, and the tiers from a snapshot for the rest. */
  public final class Reader implements AutoCloseable {
    private Snapshot snapshot;
    private long snapshotGeneration;
    private ReadOptions options;
    private final Map<Tier, RocksIterator> tierIterators = new EnumMap<>(Tier.class);

    private Reader() {
      takeSnapshot();
    }

    /** The generation is read first: the snapshot then holds every bucket evicted up to it. */
    private void takeSnapshot() {
      snapshotGeneration = open.generation();
      snapshot = db.db.getSnapshot();
      options = new ReadOptions().setSnapshot(snapshot);
    }

    private void releaseSnapshot() {
      for (RocksIterator it : tierIterators.values()) it.close();
      tierIterators.clear();
      options.close();
      db.db.releaseSnapshot(snapshot);
    }

    /**
     * The merged values of {@code series} at {@code tier}, keyed by bucket start (epoch seconds),
     * for buckets starting in {@code [fromSecond, toSecond)}; every acknowledged point included.
     */
    public TreeMap<Long, byte[]> buckets(Series series, Tier tier, long fromSecond, long toSecond) {
      long from = tier.bucketStart(fromSecond);
      TreeMap<Long, byte[]> held = new TreeMap<>();
      if (from >= toSecond) return held;
      long generation = open.read(series.id(), tier, from, toSecond, held);
      if (generation != snapshotGeneration) {
        releaseSnapshot();
        takeSnapshot();
      }
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
          if (!held.containsKey(bucket)) out.put(bucket, it.value());
        }
      }
      out.putAll(held); // a held bucket is the whole value: what the tier had when loaded, and more
      return out;
    }

    /** All buckets of an EXP_HISTOGRAM series in the range merged, decoded; null when empty. */
    public QuantileSketch totalSketch(Series series, Tier tier, long fromSecond, long toSecond) {
      ValueCodec.Accumulator acc = new ValueCodec.Accumulator(Kind.EXP_HISTOGRAM);
      for (byte[] v : buckets(series, tier, fromSecond, toSecond).values()) addOrKeep(acc, decodeOrNull(v), v);
      return acc.sketch();
    }

    /** Every bucket of {@code cover} merged, decoded (EXP_HISTOGRAM series); null when empty. */
    public QuantileSketch totalSketch(Series series, Cover cover) {
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
      releaseSnapshot();
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
