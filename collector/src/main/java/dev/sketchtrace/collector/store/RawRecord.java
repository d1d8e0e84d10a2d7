package dev.sketchtrace.collector.store;

import java.nio.ByteBuffer;

/**
 * Stateless: the raw log's record — every point of one ingest request in one RocksDB entry, so a
 * request of a thousand points is one put and one memtable insert, not a thousand.
 * <pre>
 * key   : firstSeq(8)
 * value : version(1) = 1 | n(4) | n × ( seriesId(8) | bucket10sStart(8) | length(4) | value )
 * </pre>
 * Point {@code i} of a record has sequence number {@code firstSeq + i}; the request reserved at
 * least {@code n} numbers from {@code firstSeq}, so records never overlap. A data directory of an
 * earlier collector may still hold its one-point entries ({@code seq | seriesId | bucket10sStart}
 * → value, see {@link Keys}); they are read as one-point records.
 */
final class RawRecord {
  private static final byte VERSION = 1;
  private static final int POINT_HEADER = 8 + 8 + 4;

  private RawRecord() {}

  /** Receives the points of a record in sequence order. */
  interface Visitor {
    void point(long seq, long seriesId, long bucket10s, byte[] value);
  }

  static byte[] key(long firstSeq) {
    return ByteBuffer.allocate(8).putLong(firstSeq).array();
  }

  static long firstSeq(byte[] key) {
    return Keys.longAt(key, 0);
  }

  static byte[] encode(long[] seriesIds, long[] buckets, byte[][] values, int n) {
    int size = 1 + 4;
    for (int i = 0; i < n; i++) size += POINT_HEADER + values[i].length;
    ByteBuffer b = ByteBuffer.allocate(size).put(VERSION).putInt(n);
    for (int i = 0; i < n; i++) b.putLong(seriesIds[i]).putLong(buckets[i]).putInt(values[i].length).put(values[i]);
    return b.array();
  }

  /** Calls {@code visitor} for every point of the record; returns the sequence number of the last. */
  static long decode(byte[] key, byte[] value, Visitor visitor) {
    long seq = firstSeq(key);
    if (key.length == 24) {
      visitor.point(seq, Keys.longAt(key, 8), Keys.longAt(key, 16), value);
      return seq;
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    int version = b.get();
    if (version != VERSION) throw new IllegalStateException("unknown raw record format " + version + " at seq " + seq);
    int n = b.getInt();
    for (int i = 0; i < n; i++, seq++) {
      long seriesId = b.getLong();
      long bucket = b.getLong();
      byte[] v = new byte[b.getInt()];
      b.get(v);
      visitor.point(seq, seriesId, bucket, v);
    }
    return seq - 1;
  }
}
