package dev.sketchtrace.sketch;

/**
 * Stateless and thread-safe: the 64-bit xxHash (XXH64) of Yann Collet's published specification,
 * written from that specification. Used to hash keys for {@link HyperLogLog} and
 * {@link CountMinSketch}; it is fast, has full 64-bit avalanche, and is stable across JVMs and
 * versions, which sketches that are merged across processes need.
 *
 * <p>{@link #hashChars} hashes a {@link CharSequence} as its UTF-16LE bytes without allocating:
 * {@code hashChars(s, seed) == hash(s.getBytes(UTF_16LE), seed)}.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 of {@code bytes} with {@code seed}. */
  public static long hash(byte[] bytes, long seed) {
    return hash(bytes, 0, bytes.length, seed);
  }

  /** XXH64 of {@code bytes[off, off + len)} with {@code seed}. */
  public static long hash(byte[] b, int off, int len, long seed) {
    int end = off + len;
    int p = off;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (int limit = end - 32; p <= limit; p += 32) {
        v1 = round(v1, le64(b, p));
        v2 = round(v2, le64(b, p + 8));
        v3 = round(v3, le64(b, p + 16));
        v4 = round(v4, le64(b, p + 24));
      }
      h = converge(v1, v2, v3, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    for (; p + 8 <= end; p += 8) {
      h = lane8(h, le64(b, p));
    }
    if (p + 4 <= end) {
      h = lane4(h, le32(b, p));
      p += 4;
    }
    for (; p < end; p++) {
      h = lane1(h, b[p] & 0xFF);
    }
    return avalanche(h);
  }

  /** XXH64 of the UTF-16LE encoding of {@code s}, computed without encoding it. */
  public static long hashChars(CharSequence s, long seed) {
    int n = s.length();
    int p = 0;
    long h;
    if (n >= 16) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (int limit = n - 16; p <= limit; p += 16) {
        v1 = round(v1, chars4(s, p));
        v2 = round(v2, chars4(s, p + 4));
        v3 = round(v3, chars4(s, p + 8));
        v4 = round(v4, chars4(s, p + 12));
      }
      h = converge(v1, v2, v3, v4);
    } else {
      h = seed + P5;
    }
    h += 2L * n;
    for (; p + 4 <= n; p += 4) {
      h = lane8(h, chars4(s, p));
    }
    if (p + 2 <= n) {
      h = lane4(h, (s.charAt(p) | ((long) s.charAt(p + 1) << 16)));
      p += 2;
    }
    if (p < n) {
      char c = s.charAt(p);
      h = lane1(lane1(h, c & 0xFF), c >>> 8);
    }
    return avalanche(h);
  }

  /** A 64-bit finalizer (XXH64's avalanche step): a bijection that spreads every input bit. */
  public static long mix(long v) {
    return avalanche(v);
  }

  private static long chars4(CharSequence s, int p) {
    return s.charAt(p) | ((long) s.charAt(p + 1) << 16) | ((long) s.charAt(p + 2) << 32)
        | ((long) s.charAt(p + 3) << 48);
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long mergeRound(long acc, long v) {
    acc ^= round(0, v);
    return acc * P1 + P4;
  }

  private static long converge(long v1, long v2, long v3, long v4) {
    long h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12)
        + Long.rotateLeft(v4, 18);
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    return mergeRound(h, v4);
  }

  private static long lane8(long h, long k) {
    h ^= round(0, k);
    return Long.rotateLeft(h, 27) * P1 + P4;
  }

  private static long lane4(long h, long k32) {
    h ^= k32 * P1;
    return Long.rotateLeft(h, 23) * P2 + P3;
  }

  private static long lane1(long h, int b) {
    h ^= b * P5;
    return Long.rotateLeft(h, 11) * P1;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    return h ^ (h >>> 32);
  }

  private static long le64(byte[] b, int p) {
    return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
        | (b[p + 4] & 0xFFL) << 32 | (b[p + 5] & 0xFFL) << 40 | (b[p + 6] & 0xFFL) << 48 | (b[p + 7] & 0xFFL) << 56;
  }

  private static long le32(byte[] b, int p) {
    return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
  }
}
