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
 * The raw log keeps each request's points as one record: queries see them before the rollup, the
 * rollup folds every point exactly once (also when a chunk ends inside a run of records, and not
 * past a write still in flight), and unrolled records are found again after a restart.
 */
class MetricStoreRawLogTest {
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final long T = NOW.getEpochSecond() - 120;
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;
  private final SeriesRegistry registry = new SeriesRegistry(100);

  private MetricStore open(Database db, int chunk) {
    MetricStore.loadSeries(db, registry);
    return new MetricStore(db, MetricStore.defaultRetention(), CLOCK, chunk);
  }

  private Series series(String route) {
    SeriesIdentity id = new SeriesIdentity("svc", "requests", Kind.SUM, Map.of("route", route), null);
    return registry.resolve(id, (s, b) -> {}, new ArrayList<>());
  }

  /** One request: points (series, seconds after T, value), written and settled. */
  private static void write(Database db, MetricStore store, Object... points) throws Exception {
    MetricStore.PendingWrite w = store.begin(points.length / 3);
    try (WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < points.length; i += 3) {
        Series s = (Series) points[i];
        store.persistSeries(batch, s, SeriesRegistry.encode(s.identity()));
        w.append(s.id(), T + (int) points[i + 1], ValueCodec.sum((double) points[i + 2]));
      }
      w.putInto(batch);
      db.writeDurably(batch, w::written).join();
    } finally {
      w.finish();
    }
  }

  private static double total(MetricStore store, Series s, Tier tier) {
    try (MetricStore.Reader r = store.reader()) {
      byte[] v = r.total(s, tier, T - 3_600, T + 3_600);
      return v == null ? 0 : ValueCodec.sumOf(v);
    }
  }

  private static int rawEntries(Database db) {
    int n = 0;
    try (RocksIterator it = db.db.newIterator(db.raw)) {
      for (it.seekToFirst(); it.isValid(); it.next()) n++;
    }
    return n;
  }

  @Test
  void everyPointIsFoldedOnceAcrossChunksThatEndInsideRunsOfRecords() throws Exception {
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 3);
      Series a = series("/a");
      Series b = series("/b");
      write(db, store, a, 0, 1.0, b, 0, 10.0);
      write(db, store, a, 15, 2.0, b, 70, 20.0);
      write(db, store, a, 30, 4.0);
      write(db, store, a, 61, 8.0, a, 62, 16.0, b, 0, 40.0, b, 5, 80.0, b, 9, 160.0);
      assertThat(rawEntries(db)).isEqualTo(4); // one record per request, not one entry per point
      assertThat(store.pendingPoints()).isEqualTo(10);
      assertThat(total(store, a, Tier.TEN_SECONDS)).isEqualTo(31.0);
      assertThat(total(store, b, Tier.ONE_MINUTE)).isEqualTo(310.0);

      assertThat(store.rollup(registry)).isEqualTo(10);

      assertThat(rawEntries(db)).isZero();
      assertThat(store.pendingPoints()).isZero();
      for (Tier t : Tier.values()) {
        assertThat(total(store, a, t)).as("series a at %s", t).isEqualTo(31.0);
        assertThat(total(store, b, t)).as("series b at %s", t).isEqualTo(310.0);
      }
      try (MetricStore.Reader r = store.reader()) {
        // 10 s buckets of a: T (1), T+10 (2; T+15 lies there), T+30 (4), T+60 (8 + 16).
        assertThat(r.buckets(a, Tier.TEN_SECONDS, T - 60, T + 3_600).values().stream().map(ValueCodec::sumOf).toList())
            .containsExactly(1.0, 2.0, 4.0, 24.0);
      }
    }
  }

  @Test
  void aRecordAfterAWriteStillInFlightWaitsForIt() throws Exception {
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      Series a = series("/a");
      MetricStore.PendingWrite slow = store.begin(1);
      write(db, store, a, 0, 2.0);

      assertThat(store.rollup(registry)).isZero();
      assertThat(total(store, a, Tier.ONE_HOUR)).isEqualTo(2.0); // visible through the overlay

      try (WriteBatch batch = new WriteBatch()) {
        slow.append(a.id(), T, ValueCodec.sum(1.0));
        slow.putInto(batch);
        db.writeDurably(batch, slow::written).join();
      }
      slow.finish();
      assertThat(store.rollup(registry)).isEqualTo(2);
      assertThat(total(store, a, Tier.ONE_HOUR)).isEqualTo(3.0);
    }
  }

  @Test
  void unrolledRecordsAreReadAgainAfterARestartAndNewWritesFollowThem() throws Exception {
    Series a;
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      a = series("/a");
      write(db, store, a, 0, 1.0, a, 20, 2.0);
      write(db, store, a, 40, 4.0);
    }
    try (Database db = new Database(dir)) {
      MetricStore store = open(db, 1_000);
      assertThat(store.pendingPoints()).isEqualTo(3);
      assertThat(total(store, a, Tier.TEN_SECONDS)).isEqualTo(7.0);
      write(db, store, a, 40, 8.0);
      assertThat(store.rollup(registry)).isEqualTo(4);
      assertThat(total(store, a, Tier.ONE_MINUTE)).isEqualTo(15.0);
      List<Double> tens = new ArrayList<>();
      try (MetricStore.Reader r = store.reader()) {
        r.buckets(a, Tier.TEN_SECONDS, T - 60, T + 60).values().forEach(v -> tens.add(ValueCodec.sumOf(v)));
      }
      assertThat(tens).containsExactly(1.0, 2.0, 12.0);
    }
  }
}
