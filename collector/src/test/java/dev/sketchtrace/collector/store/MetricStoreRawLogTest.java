package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The raw log keeps each request's points as one record until a checkpoint writes the open buckets
 * they were folded into: queries see points once written, a checkpoint moves them into the tiers and
 * deletes their records atomically, records not checkpointed before a stop are folded again exactly
 * once at startup, and evicted buckets are read back from the tiers — also by a reader opened
 * before the eviction.
 */
class MetricStoreRawLogTest {
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final long T = NOW.getEpochSecond() - 120;
  /** The test's clock: fixed until a test moves it. */
  private static final class TestClock extends Clock {
    Instant now = NOW;

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { throw new UnsupportedOperationException(); }
    @Override public Instant instant() { return now; }
  }

  private final TestClock clock = new TestClock();

  @TempDir Path dir;
  private final SeriesRegistry registry = new SeriesRegistry(100);

  private MetricStore open(Database db, long maxOpenBuckets) {
    MetricStore.loadSeries(db, registry);
    return new MetricStore(db, MetricStore.defaultRetention(), clock, maxOpenBuckets);
  }

  private Series series(String route) {
    SeriesIdentity id = new SeriesIdentity("svc", "requests", Kind.SUM, Map.of("route", route), null);
    return registry.resolve(id, (s, b) -> {}, new ArrayList<>());
  }

  /** One request: points (series, seconds after T, value), written and synced. */
  private static void write(Database db, MetricStore store, Object... points) throws Exception {
    MetricStore.PendingWrite w = store.begin(points.length / 3);
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < points.length; i += 3) {
        Series s = (Series) points[i];
        store.persistSeries(batch, s, SeriesRegistry.encode(s.identity()));
        w.append(s, T + (int) points[i + 1], ValueCodec.sum((double) points[i + 2]), null);
      }
      w.putInto(batch);
      db.writeDurably(batch, w::written).join();
    }
  }

  private static double total(MetricStore store, Series s, Tier tier) {
    try (MetricStore.Reader r = store.reader()) {
      return total(r, s, tier);
    }
  }

  private static double total(MetricStore.Reader r, Series s, Tier tier) {
    byte[] v = r.total(s, tier, T - 3_600, T + 3_600);
    return v == null ? 0 : ValueCodec.sumOf(v);
  }

  private static int entries(Database db, org.rocksdb.ColumnFamilyHandle family) {
    int n = 0;
    try (RocksIterator it = db.db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) n++;
    }
    return n;
  }

  /** The value of one bucket as the tier on disk holds it (0 when absent). */
  private static double onDisk(Database db, Tier tier, Series s, long bucketStart) throws Exception {
    byte[] v = db.db.get(db.tiers.get(tier), Keys.tier(tier, s.id(), bucketStart));
    return v == null ? 0 : ValueCodec.sumOf(v);
  }

  @Test
  void pointsAreVisibleOnceWrittenAndACheckpointMovesThemIntoTheTiersAndOutOfTheRawLog() throws Exception {
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      Series a = series("/a");
      Series b = series("/b");
      write(db, store, a, 0, 1.0, b, 0, 10.0);
      write(db, store, a, 15, 2.0, b, 70, 20.0);
      write(db, store, a, 30, 4.0);
      write(db, store, a, 61, 8.0, a, 62, 16.0, b, 0, 40.0, b, 5, 80.0, b, 9, 160.0);
      assertThat(entries(db, db.raw)).isEqualTo(4); // one record per request, not one entry per point
      assertThat(store.pendingPoints()).isEqualTo(10);
      assertThat(entries(db, db.tiers.get(Tier.ONE_HOUR))).isZero();
      for (Tier t : Tier.values()) {
        assertThat(total(store, a, t)).as("series a at %s before the checkpoint", t).isEqualTo(31.0);
        assertThat(total(store, b, t)).as("series b at %s before the checkpoint", t).isEqualTo(310.0);
      }

      assertThat(store.checkpoint()).isEqualTo(10);

      assertThat(entries(db, db.raw)).isZero();
      assertThat(store.pendingPoints()).isZero();
      assertThat(onDisk(db, Tier.ONE_HOUR, a, Tier.ONE_HOUR.bucketStart(T))).isEqualTo(31.0);
      assertThat(onDisk(db, Tier.TEN_SECONDS, b, Tier.TEN_SECONDS.bucketStart(T))).isEqualTo(10.0 + 40 + 80 + 160);
      for (Tier t : Tier.values()) {
        assertThat(total(store, a, t)).as("series a at %s", t).isEqualTo(31.0);
        assertThat(total(store, b, t)).as("series b at %s", t).isEqualTo(310.0);
      }
      try (MetricStore.Reader r = store.reader()) {
        // 10 s buckets of a: T (1), T+10 (2; T+15 lies there), T+30 (4), T+60 (8 + 16).
        assertThat(r.buckets(a, Tier.TEN_SECONDS, T - 60, T + 3_600).values().stream().map(ValueCodec::sumOf).toList())
            .containsExactly(1.0, 2.0, 4.0, 24.0);
      }
      write(db, store, a, 0, 32.0);
      assertThat(store.checkpoint()).isEqualTo(1);
      assertThat(onDisk(db, Tier.ONE_HOUR, a, Tier.ONE_HOUR.bucketStart(T))).isEqualTo(63.0);
    }
  }

  @Test
  void recordsNotCheckpointedBeforeAStopAreFoldedAgainExactlyOnce() throws Exception {
    Series a;
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      a = series("/a");
      write(db, store, a, 0, 1.0, a, 20, 2.0);
      store.checkpoint();
      write(db, store, a, 0, 4.0);
      write(db, store, a, 40, 8.0);
      // no checkpoint: as after kill -9, the open buckets are lost and the last two records remain
    }
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      assertThat(store.pendingPoints()).isEqualTo(2);
      assertThat(total(store, a, Tier.TEN_SECONDS)).isEqualTo(15.0);
      write(db, store, a, 40, 16.0);
      assertThat(store.checkpoint()).isEqualTo(3);
      assertThat(total(store, a, Tier.ONE_MINUTE)).isEqualTo(31.0);
      List<Double> tens = new ArrayList<>();
      try (MetricStore.Reader r = store.reader()) {
        r.buckets(a, Tier.TEN_SECONDS, T - 60, T + 60).values().forEach(v -> tens.add(ValueCodec.sumOf(v)));
      }
      assertThat(tens).containsExactly(5.0, 2.0, 24.0);
    }
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      assertThat(store.pendingPoints()).isZero();
      for (Tier t : Tier.values()) assertThat(total(store, a, t)).as("%s after a clean restart", t).isEqualTo(31.0);
    }
  }

  @Test
  void evictedBucketsAreReadFromTheTiersAlsoByAReaderOpenedBeforeTheEviction() throws Exception {
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 40); // a checkpoint starts at 10 points or dirty buckets
      Series a = series("/a");
      write(db, store, a, 0, 1.0, a, 10, 2.0); // 2 + 2 + 1 + 1 buckets
      store.checkpoint();
      try (MetricStore.Reader before = store.reader()) {
        assertThat(total(before, a, Tier.TEN_SECONDS)).isEqualTo(3.0);
        clock.now = NOW.plusSeconds(MetricStore.IDLE_SECONDS);
        store.checkpoint(); // no point reached a's buckets for the idle time: evicted
        assertThat(store.openBuckets()).isZero();
        assertThat(total(before, a, Tier.TEN_SECONDS)).isEqualTo(3.0);
        assertThat(total(before, a, Tier.ONE_HOUR)).isEqualTo(3.0);
      }
      write(db, store, a, 10, 4.0); // loads the evicted buckets back and merges into them
      assertThat(total(store, a, Tier.ONE_HOUR)).isEqualTo(7.0);
      store.checkpoint();
      assertThat(onDisk(db, Tier.TEN_SECONDS, a, Tier.TEN_SECONDS.bucketStart(T + 10))).isEqualTo(6.0);
    }
  }

  @Test
  void heldBucketsStayBoundedWhileManyAreWritten() throws Exception {
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 40);
      List<Series> all = new ArrayList<>();
      for (int i = 0; i < 30; i++) all.add(series("/r" + i));
      double expected = 0;
      for (int round = 0; round < 5; round++) {
        for (Series s : all) {
          write(db, store, s, round * 10, 1.0); // a new 10 s bucket per round, four tiers per series
          expected += 1.0;
          assertThat(store.openBuckets()).isLessThanOrEqualTo(40 + 4);
          assertThat(store.pendingPoints()).isLessThan(10);
        }
      }
      assertThat(store.openBucketsFull()).isFalse();
      double sum = 0;
      for (Series s : all) sum += total(store, s, Tier.ONE_HOUR);
      assertThat(sum).isEqualTo(expected);
      store.checkpoint();
      assertThat(entries(db, db.raw)).isZero();
      sum = 0;
      for (Series s : all) sum += onDisk(db, Tier.ONE_HOUR, s, Tier.ONE_HOUR.bucketStart(T));
      assertThat(sum).isEqualTo(expected);
    }
  }
}
