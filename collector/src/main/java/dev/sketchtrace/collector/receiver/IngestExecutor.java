package dev.sketchtrace.collector.receiver;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe: where decoding and the synced store writes run, off the event loop. Its queue is
 * bounded: when full, {@link #tryExecute} returns false and the receiver answers 503 with
 * Retry-After (gRPC: UNAVAILABLE), so saturation never becomes unbounded buffering.
 */
public final class IngestExecutor implements AutoCloseable {
  private final ThreadPoolExecutor pool;

  public IngestExecutor(int threads, int queued) {
    AtomicInteger n = new AtomicInteger();
    pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued), r -> {
      Thread t = new Thread(r, "sketchtrace-ingest-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  public boolean tryExecute(Runnable task) {
    try {
      pool.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  public Executor executor() {
    return pool;
  }

  public int queued() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
