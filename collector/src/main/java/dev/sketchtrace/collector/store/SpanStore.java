package dev.sketchtrace.collector.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: sampled spans, capped by size (oldest first) and age.
 * <pre>
 * spans      : traceId(16) | spanId(8)                 → service(UTF) | OTLP Span bytes
 * span_index : startUnixNano(8) | traceId(16) | spanId(8) → {@link SpanSummary}
 * </pre>
 * The index is time-ordered, so the search for traces walks back from the end of the window and
 * eviction walks forward from the oldest span.
 */
public final class SpanStore {
  private final Database db;
  private final long maxBytes;
  private final long maxAgeNanos;
  private final Clock clock;
  private final AtomicLong evicted = new AtomicLong();

  public SpanStore(Database db, long maxBytes, long maxAgeNanos, Clock clock) {
    this.db = db;
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAgeNanos;
    this.clock = clock;
  }

  /** Immutable: what the trace search needs of a span without decoding it. */
  public record SpanSummary(
      byte[] traceId, byte[] spanId, String service, String name, String route,
      long startUnixNano, long durationNanos, boolean error, boolean root) {}

  /** Adds one span to {@code batch}. */
  public void append(WriteBatch batch, SpanSummary s, byte[] spanBytes) throws RocksDBException {
    byte[] id = ByteBuffer.allocate(24).put(s.traceId()).put(s.spanId()).array();
    batch.put(db.spans, id, value(s.service(), spanBytes));
    byte[] indexKey = ByteBuffer.allocate(32).putLong(s.startUnixNano()).put(id).array();
    batch.put(db.spanIndex, indexKey, encode(s));
  }

  /** Immutable: one stored span: its service and the OTLP {@code Span} bytes. */
  public record StoredSpan(String service, byte[] span) {}

  /** Every stored span of {@code traceId}. */
  public List<StoredSpan> trace(byte[] traceId) {
    List<StoredSpan> out = new ArrayList<>();
    try (RocksIterator it = db.db.newIterator(db.spans)) {
      for (it.seek(traceId); it.isValid(); it.next()) {
        if (!Arrays.equals(it.key(), 0, 16, traceId, 0, 16)) break;
        ByteBuffer v = ByteBuffer.wrap(it.value());
        byte[] service = new byte[v.getShort() & 0xffff];
        v.get(service);
        byte[] span = new byte[v.remaining()];
        v.get(span);
        out.add(new StoredSpan(new String(service, java.nio.charset.StandardCharsets.UTF_8), span));
      }
    }
    return out;
  }

  /**
   * Spans starting in {@code [fromNanos, toNanos)} that match, newest first, at most {@code limit};
   * stops after scanning {@code maxScanned} index entries so a query's cost is bounded.
   */
  public List<SpanSummary> search(long fromNanos, long toNanos, Predicate<SpanSummary> match, int limit, int maxScanned) {
    List<SpanSummary> out = new ArrayList<>();
    try (RocksIterator it = db.db.newIterator(db.spanIndex)) {
      it.seekForPrev(ByteBuffer.allocate(8).putLong(toNanos - 1).array());
      // seekForPrev lands on the last key <= the 8-byte prefix, which excludes keys with that exact
      // start time and a longer suffix; step forward over them first.
      if (!it.isValid()) it.seekToLast();
      int scanned = 0;
      for (; it.isValid() && out.size() < limit && scanned < maxScanned; it.prev(), scanned++) {
        long start = Keys.longAt(it.key(), 0);
        if (start >= toNanos) continue;
        if (start < fromNanos) break;
        SpanSummary s = decode(it.key(), it.value());
        if (match.test(s)) out.add(s);
      }
    }
    return out;
  }

  /** Bytes the span column families hold (estimated by RocksDB: SST files and memtables). */
  public long storedBytes() {
    return db.property(db.spans, "rocksdb.total-sst-files-size")
        + db.property(db.spanIndex, "rocksdb.total-sst-files-size")
        + db.property(db.spans, "rocksdb.cur-size-all-mem-tables")
        + db.property(db.spanIndex, "rocksdb.cur-size-all-mem-tables");
  }

  public long evicted() {
    return evicted.get();
  }

  /**
   * Deletes spans older than the age limit, then the oldest spans while the store is over its size
   * limit (down to 90 % of it). Called by one thread (the scheduler).
   */
  public synchronized void evict() throws RocksDBException {
    long ageCutoff = clock.millis() * 1_000_000L - maxAgeNanos;
    long excess = storedBytes() - maxBytes;
    long toFree = excess > 0 ? excess + maxBytes / 10 : 0;
    long freed = 0;
    int n = 0;
    try (RocksIterator it = db.db.newIterator(db.spanIndex);
        WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        long start = Keys.longAt(key, 0);
        if (start >= ageCutoff && freed >= toFree) break;
        batch.delete(db.spanIndex, key);
        batch.delete(db.spans, Arrays.copyOfRange(key, 8, 32));
        freed += key.length + it.value().length + 64; // the span's bytes are estimated, not read
        n++;
        if (n % 10_000 == 0) {
          db.write(batch);
          batch.clear();
        }
      }
      db.write(batch);
    }
    evicted.addAndGet(n);
  }

  private static byte[] value(String service, byte[] span) {
    byte[] s = service.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + s.length + span.length).putShort((short) s.length).put(s).put(span).array();
  }

  private static byte[] encode(SpanSummary s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(s.service());
      out.writeUTF(s.name());
      out.writeUTF(s.route());
      out.writeLong(s.durationNanos());
      out.writeBoolean(s.error());
      out.writeBoolean(s.root());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SpanSummary decode(byte[] key, byte[] value) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
      return new SpanSummary(
          Arrays.copyOfRange(key, 8, 24), Arrays.copyOfRange(key, 24, 32),
          in.readUTF(), in.readUTF(), in.readUTF(), Keys.longAt(key, 0), in.readLong(),
          in.readBoolean(), in.readBoolean());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
