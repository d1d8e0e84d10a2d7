package dev.sketchtrace.collector.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Thread-safe (RocksDB is): the embedded store under the data directory and its column families.
 * Ingest writes go through {@link #writeDurably}: the batch is written atomically (WAL appended),
 * and the returned future completes once a WAL sync that started after the write is done
 * ({@link WalSyncer}: one fsync for every request waiting at that moment). Only after that does a
 * receiver answer 2xx — that is why acknowledged data survives kill -9 (and power loss).
 */
public final class Database implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  final ColumnFamilyHandle series;
  final ColumnFamilyHandle raw;
  final Map<Tier, ColumnFamilyHandle> tiers = new EnumMap<>(Tier.class);
  final ColumnFamilyHandle spans;
  final ColumnFamilyHandle spanIndex;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions ordinary = new WriteOptions();
  private final Path dir;
  private final WalSyncer syncer;

  public Database(Path dir) throws RocksDBException {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new RocksDBException("cannot create data directory " + dir + ": " + e.getMessage());
    }
    dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            .setKeepLogFileNum(3);
    cfOptions = new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    List<String> names = new ArrayList<>(List.of("series", "raw"));
    for (Tier t : Tier.values()) names.add("tier_" + t.label);
    names.add("spans");
    names.add("span_index");
    for (String n : names) descriptors.add(new ColumnFamilyDescriptor(n.getBytes(), cfOptions));
    db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    series = handles.get(1);
    raw = handles.get(2);
    int i = 3;
    for (Tier t : Tier.values()) tiers.put(t, handles.get(i++));
    spans = handles.get(i++);
    spanIndex = handles.get(i);
    syncer = new WalSyncer(db, SYNC_QUEUE);
  }

  /** Requests that may wait for a WAL sync at once (beyond that, writers block). */
  public static final int SYNC_QUEUE = 64;

  /**
   * Writes {@code batch} atomically; the future completes when it is on disk (synced WAL), or
   * exceptionally when the sync failed. A RocksDBException thrown here means nothing was written.
   */
  public java.util.concurrent.CompletableFuture<Void> writeDurably(WriteBatch batch, Runnable whenWritten) throws RocksDBException {
    db.write(ordinary, batch);
    whenWritten.run();
    return syncer.afterSync();
  }

  /** WAL syncs done since start. */
  public long walSyncs() {
    return syncer.syncs();
  }

  /** Writes {@code batch} atomically (WAL written, not synced): for derived data such as rollups. */
  void write(WriteBatch batch) throws RocksDBException {
    db.write(ordinary, batch);
  }

  /** Bytes on disk (SST files and WAL) under the data directory. */
  public long sizeOnDisk() {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  long property(ColumnFamilyHandle cf, String name) {
    try {
      return db.getLongProperty(cf, name);
    } catch (RocksDBException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    syncer.close();
    for (ColumnFamilyHandle h : handles) h.close();
    db.close();
    ordinary.close();
    dbOptions.close();
    cfOptions.close();
  }
}
