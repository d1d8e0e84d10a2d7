package dev.sketchtrace.collector.store;

import java.nio.ByteBuffer;

/**
 * Key layouts (all big-endian, so byte order is numeric order for non-negative values):
 * <pre>
 * raw    : firstSeq(8)                                   a request's points until rolled up ({@link RawRecord});
 *          seq(8) | seriesId(8) | bucket10sStart(8)     one point, as written by earlier collectors
 * tier_* : partitionStart(8) | seriesId(8) | bucketStart(8)   merged value of one bucket
 * series : seriesId(8)                                   the series identity
 * </pre>
 */
final class Keys {
  private Keys() {}

  static byte[] tier(Tier tier, long seriesId, long bucketStart) {
    return ByteBuffer.allocate(24)
        .putLong(tier.partitionStart(bucketStart))
        .putLong(seriesId)
        .putLong(bucketStart)
        .array();
  }

  static byte[] id(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }

  static long longAt(byte[] key, int offset) {
    return ByteBuffer.wrap(key, offset, 8).getLong();
  }
}
