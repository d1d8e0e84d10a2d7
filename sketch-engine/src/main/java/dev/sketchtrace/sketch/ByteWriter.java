package dev.sketchtrace.sketch;

import java.util.Arrays;

/** Not thread-safe: a growable big-endian byte buffer for the sketches' binary formats. */
final class ByteWriter {
  private byte[] buf;
  private int size;

  ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
    }
  }

  ByteWriter writeByte(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  ByteWriter writeInt(int v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[size++] = (byte) (v >>> s);
    }
    return this;
  }

  ByteWriter writeLong(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[size++] = (byte) (v >>> s);
    }
    return this;
  }

  ByteWriter writeDouble(double v) {
    return writeLong(Double.doubleToRawLongBits(v));
  }

  /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte. */
  ByteWriter writeVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
