package dev.sketchtrace.sketch;

/**
 * Not thread-safe: reads what {@link ByteWriter} wrote, turning every malformed input into a
 * {@link SketchFormatException} rather than an index or arithmetic exception.
 */
final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final String what;

  ByteReader(byte[] bytes, String what) {
    if (bytes == null) {
      throw new SketchFormatException(what + ": bytes are null");
    }
    this.buf = bytes;
    this.what = what;
  }

  int remaining() {
    return buf.length - pos;
  }

  private void need(int n) {
    if (buf.length - pos < n) {
      throw new SketchFormatException(
          what + ": truncated at byte " + pos + " (needed " + n + " more of " + buf.length + ")");
    }
  }

  int readByte() {
    need(1);
    return buf[pos++];
  }

  int readUnsignedByte() {
    return readByte() & 0xFF;
  }

  int readInt() {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  long readLong() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  double readDouble() {
    return Double.longBitsToDouble(readLong());
  }

  /** Reads an unsigned LEB128 value that must fit in 63 bits (a non-negative long). */
  long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw fail("varint has a redundant trailing zero byte");
        }
        return v;
      }
    }
    throw fail("varint longer than 9 bytes");
  }

  /** A length that must be in {@code [0, max]} and backed by at least {@code minBytesEach} bytes each. */
  int readLength(String field, int max, int minBytesEach) {
    long n = readVarLong();
    if (n > max) {
      throw fail(field + " length " + n + " exceeds the limit " + max);
    }
    if (n * minBytesEach > remaining()) {
      throw fail(field + " length " + n + " exceeds the remaining " + remaining() + " bytes");
    }
    return (int) n;
  }

  void expectEnd() {
    if (pos != buf.length) {
      throw fail((buf.length - pos) + " unexpected trailing bytes");
    }
  }

  SketchFormatException fail(String message) {
    return new SketchFormatException(what + ": " + message);
  }
}
