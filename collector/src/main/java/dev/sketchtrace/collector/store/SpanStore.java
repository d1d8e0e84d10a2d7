package dev.sketchtrace.collector.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Thread-safe: sampled spans, capped by size (oldest first) and age.
 * <pre>
 * spans      : traceId(16) | spanId(8)             → service(UTF) | OTLP Span bytes
 * span_index : windowStart(8) | recordId(8)         → {@link IndexRecord}: the summaries of one
 *                                                      request's spans that start in that window
 *              startUnixNano(8) | traceId(16) | spanId(8) → one summary (written by earlier collectors)
 * </pre>
 * One index record per request and {@link #WINDOW_NANOS} window rather than one entry per span:
 * a RocksDB put (memtable insert, later flush and compaction) costs about as much as decoding the
 * span, so this halves the puts per span. The index stays time-ordered — every span of a record
 * starts in {@code [windowStart, windowStart + WINDOW_NANOS)} — so the search for traces walks
 * back from the end of the window and eviction walks forward from the oldest record.
 */
public final class SpanStore {
  /** Width of the start-time windows an index record covers: bounds how far a search reads past its answer. */
  static final long WINDOW_NANOS = 10_000_000_000L;

  private final Database db;
  private final long maxBytes;
  private final long maxAgeNanos;
  private final Clock clock;
  private final AtomicLong evicted = new AtomicLong();
  /** Record ids: random start, so ids of different runs do not collide within a window. */
  private final AtomicLong recordIds = new AtomicLong(new SecureRandom().nextLong());

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

  /** Immutable: a span to store: its summary and its OTLP {@code Span} bytes, {@code length} bytes of {@code source} from {@code offset}. */
  public record NewSpan(SpanSummary summary, byte[] source, int offset, int length) {}

  /** Adds the spans of one request to {@code batch}: one entry per span, one index record per window. */
  public void append(WriteBatch batch, List<NewSpan> spans) throws RocksDBException {
    Map<Long, List<NewSpan>> byWindow = new LinkedHashMap<>();
    Map<String, byte[]> serviceBytes = new HashMap<>();
    for (NewSpan s : spans) {
      SpanSummary sum = s.summary();
      byte[] service = serviceBytes.computeIfAbsent(sum.service(), x -> x.getBytes(StandardCharsets.UTF_8));
      byte[] value = ByteBuffer.allocate(2 + service.length + s.length())
          .putShort((short) service.length).put(service).put(s.source(), s.offset(), s.length()).array();
      batch.put(db.spans, spanKey(sum.traceId(), sum.spanId()), value);
      byWindow.computeIfAbsent(Math.floorDiv(sum.startUnixNano(), WINDOW_NANOS) * WINDOW_NANOS, w -> new ArrayList<>()).add(s);
    }
    for (Map.Entry<Long, List<NewSpan>> w : byWindow.entrySet()) {
      byte[] key = ByteBuffer.allocate(16).putLong(w.getKey()).putLong(recordIds.getAndIncrement()).array();
      batch.put(db.spanIndex, key, IndexRecord.encode(w.getValue(), serviceBytes));
    }
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
        out.add(new StoredSpan(new String(service, StandardCharsets.UTF_8), span));
      }
    }
    return out;
  }

  /** Newest first: start time, then trace id and span id (the order of the earlier per-span index). */
  private static final Comparator<SpanSummary> NEWEST_FIRST = Comparator.comparingLong(SpanSummary::startUnixNano)
      .thenComparing(SpanSummary::traceId, Arrays::compareUnsigned)
      .thenComparing(SpanSummary::spanId, Arrays::compareUnsigned)
      .reversed();

  /**
   * Spans starting in {@code [fromNanos, toNanos)} that match, newest first, at most {@code limit};
   * stops after scanning {@code maxScanned} spans so a query's cost is bounded. A span sent twice
   * (a client retrying after a lost answer) is listed once.
   */
  public List<SpanSummary> search(long fromNanos, long toNanos, Predicate<SpanSummary> match, int limit, int maxScanned) {
    // The newest `limit` matches so far; the head is the oldest of them.
    PriorityQueue<SpanSummary> best = new PriorityQueue<>(NEWEST_FIRST.reversed());
    Set<String> seen = new HashSet<>();
    int scanned = 0;
    try (RocksIterator it = db.db.newIterator(db.spanIndex)) {
      // The last entry whose time is < toNanos, or == toNanos with no suffix: later ones start at or after toNanos.
      it.seekForPrev(ByteBuffer.allocate(8).putLong(toNanos).array());
      for (; it.isValid() && scanned < maxScanned; it.prev()) {
        byte[] key = it.key();
        long time = Keys.longAt(key, 0);
        // Every span of this entry and of the older ones starts before time + WINDOW_NANOS.
        if (time + WINDOW_NANOS <= fromNanos) break;
        if (limit > 0 && best.size() == limit && time + WINDOW_NANOS <= best.peek().startUnixNano()) break;
        for (SpanSummary s : IndexRecord.decode(key, it.value())) {
          scanned++;
          if (s.startUnixNano() < fromNanos || s.startUnixNano() >= toNanos || !match.test(s)) continue;
          if (!seen.add(idString(s))) continue;
          best.add(s);
          if (best.size() > limit) best.poll();
        }
      }
    }
    List<SpanSummary> out = new ArrayList<>(best);
    out.sort(NEWEST_FIRST);
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
   * limit (down to 90 % of it). An index record goes with all its spans, once its whole window is
   * older than the age limit. Called by one thread (the scheduler).
   */
  public synchronized void evict() throws RocksDBException {
    long ageCutoff = clock.millis() * 1_000_000L - maxAgeNanos;
    long excess = storedBytes() - maxBytes;
    long toFree = excess > 0 ? excess + maxBytes / 10 : 0;
    long freed = 0;
    int n = 0;
    int pending = 0;
    try (RocksIterator it = db.db.newIterator(db.spanIndex);
        WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (IndexRecord.endOf(key) <= ageCutoff || freed < toFree) {
          byte[] value = it.value();
          batch.delete(db.spanIndex, key);
          freed += key.length + value.length;
          for (SpanSummary s : IndexRecord.decode(key, value)) {
            batch.delete(db.spans, spanKey(s.traceId(), s.spanId()));
            freed += 24 + 64; // the span's bytes are estimated, not read
            n++;
            pending++;
          }
          if (pending >= 10_000) {
            db.write(batch);
            batch.clear();
            pending = 0;
          }
        } else {
          break;
        }
      }
      db.write(batch);
    }
    evicted.addAndGet(n);
  }

  private static byte[] spanKey(byte[] traceId, byte[] spanId) {
    return ByteBuffer.allocate(24).put(traceId).put(spanId).array();
  }

  private static String idString(SpanSummary s) {
    byte[] id = spanKey(s.traceId(), s.spanId());
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  /**
   * Stateless: the value of a span_index record. Strings repeat across a request's spans (one
   * service, few names and routes), so each is stored once in a table and referenced by number:
   * <pre>
   * spans(4) | strings(4) | strings × (length(4) | UTF-8) |
   *   spans × (traceId(16) | spanId(8) | start(8) | duration(8) | flags(1) | service(4) | name(4) | route(4))
   * </pre>
   * flags: bit 0 error, bit 1 root.
   */
  static final class IndexRecord {
    private static final int SPAN_BYTES = 16 + 8 + 8 + 8 + 1 + 4 + 4 + 4;
    /** Key length of the per-span entries written by earlier collectors. */
    private static final int LEGACY_KEY_LENGTH = 32;

    private IndexRecord() {}

    static byte[] encode(List<NewSpan> spans, Map<String, byte[]> knownUtf8) {
      Map<String, Integer> index = new HashMap<>();
      List<byte[]> strings = new ArrayList<>();
      int[] refs = new int[spans.size() * 3];
      int size = 8 + spans.size() * SPAN_BYTES;
      for (int i = 0; i < spans.size(); i++) {
        SpanSummary s = spans.get(i).summary();
        String[] fields = {s.service(), s.name(), s.route()};
        for (int f = 0; f < 3; f++) {
          Integer ref = index.get(fields[f]);
          if (ref == null) {
            byte[] utf8 = knownUtf8.get(fields[f]);
            if (utf8 == null) utf8 = fields[f].getBytes(StandardCharsets.UTF_8);
            ref = strings.size();
            index.put(fields[f], ref);
            strings.add(utf8);
            size += 4 + utf8.length;
          }
          refs[i * 3 + f] = ref;
        }
      }
      ByteBuffer out = ByteBuffer.allocate(size).putInt(spans.size()).putInt(strings.size());
      for (byte[] s : strings) out.putInt(s.length).put(s);
      for (int i = 0; i < spans.size(); i++) {
        SpanSummary s = spans.get(i).summary();
        out.put(s.traceId()).put(s.spanId()).putLong(s.startUnixNano()).putLong(s.durationNanos())
            .put((byte) ((s.error() ? 1 : 0) | (s.root() ? 2 : 0)))
            .putInt(refs[i * 3]).putInt(refs[i * 3 + 1]).putInt(refs[i * 3 + 2]);
      }
      return out.array();
    }

    static List<SpanSummary> decode(byte[] key, byte[] value) {
      if (key.length == LEGACY_KEY_LENGTH) return List.of(decodeLegacy(key, value));
      ByteBuffer in = ByteBuffer.wrap(value);
      int n = in.getInt();
      String[] strings = new String[in.getInt()];
      for (int i = 0; i < strings.length; i++) {
        int length = in.getInt();
        strings[i] = new String(value, in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
      }
      List<SpanSummary> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        in.get(trace).get(span);
        long start = in.getLong();
        long duration = in.getLong();
        byte flags = in.get();
        out.add(new SpanSummary(trace, span, strings[in.getInt()], strings[in.getInt()], strings[in.getInt()],
            start, duration, (flags & 1) != 0, (flags & 2) != 0));
      }
      return out;
    }

    /** Exclusive upper bound of the start times of the spans under {@code key}. */
    static long endOf(byte[] key) {
      long time = Keys.longAt(key, 0);
      return key.length == LEGACY_KEY_LENGTH ? time + 1 : time + WINDOW_NANOS;
    }

    /** An entry of the earlier layout: one span, key start | traceId | spanId, value in {@code DataOutput} form. */
    private static SpanSummary decodeLegacy(byte[] key, byte[] value) {
      try {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(value));
        return new SpanSummary(
            Arrays.copyOfRange(key, 8, 24), Arrays.copyOfRange(key, 24, 32),
            in.readUTF(), in.readUTF(), in.readUTF(), Keys.longAt(key, 0), in.readLong(),
            in.readBoolean(), in.readBoolean());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
