package dev.sketchtrace.collector.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Thread-safe: group commit for the write-ahead log. A writer first writes its batch with an
 * unsynced WAL write (atomic, visible to the rollup only through the in-flight sequence rule, see
 * {@link MetricStore}), then asks for a sync: its future joins a bounded queue, and one syncer
 * thread takes <em>everything</em> waiting at that moment, calls RocksDB's {@code SyncWAL} once
 * and completes all of those futures. Each future was queued after its write returned, so the
 * sync that follows covers it: a completed future means the batch is on disk.
 *
 * <p>Why not {@code WriteOptions.setSync(true)}: that blocks the writing thread for the whole fsync,
 * so the number of requests per fsync is bounded by the number of ingest threads (measured: ingest
 * threads spent about two thirds of their time in the synced write). Here an ingest thread goes on
 * to decode the next request while earlier ones wait for their sync, and one fsync serves every
 * request that arrived during the previous one.
 *
 * <p>At most {@code capacity} requests wait for a sync; a writer beyond that blocks until there is
 * room, which backs up into the ingest executor's bounded queue (and from there into 503s).
 */
public final class WalSyncer implements AutoCloseable {
  private final RocksDB db;
  private final BlockingQueue<CompletableFuture<Void>> waiting;
  private final Thread thread;
  private final AtomicLong syncs = new AtomicLong();
  private volatile boolean closed;

  WalSyncer(RocksDB db, int capacity) {
    this.db = db;
    this.waiting = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "sketchtrace-wal-sync");
    thread.setDaemon(true);
    thread.start();
  }

  /** A future completed once everything written before this call is synced to disk. */
  CompletableFuture<Void> afterSync() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new RocksDBException("store is closing"));
      return f;
    }
    try {
      waiting.put(f);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.completeExceptionally(new RocksDBException("interrupted while waiting for the WAL sync"));
    }
    return f;
  }

  /** WAL syncs done since start (each serves every request waiting at the time). */
  public long syncs() {
    return syncs.get();
  }

  private void run() {
    List<CompletableFuture<Void>> group = new ArrayList<>();
    while (!closed || !waiting.isEmpty()) {
      try {
        CompletableFuture<Void> first = waiting.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        group.add(first);
        waiting.drainTo(group);
        try {
          db.syncWal();
          syncs.incrementAndGet();
          for (CompletableFuture<Void> f : group) f.complete(null);
        } catch (RocksDBException | RuntimeException e) {
          for (CompletableFuture<Void> f : group) f.completeExceptionally(e);
        }
        group.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Syncs what is waiting, then stops the thread. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
