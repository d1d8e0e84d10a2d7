package dev.sketchtrace.agent.export;

import java.util.Arrays;

/**
 * A growable protobuf wire-format writer for the span encoder: varints, fixed64/fixed32, strings
 * (UTF-8 written from the chars, no intermediate byte array) and nested messages, whose length is
 * patched in when the message ends so nothing is sized twice.
 *
 * <p>{@link #beginMessage} reserves one byte for the length; {@link #endMessage} writes the real
 * length there and, for a message of 128 bytes or more, moves the body right by the extra length
 * bytes (one {@code arraycopy}), so lengths stay canonical varints.
 *
 * <p>Reused across windows: {@link #reset} keeps the buffer. Not thread-safe.
 */
final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private byte[] buf;
  private int pos;

  ProtoWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int position() {
    return pos;
  }

  void reset() {
    pos = 0;
  }

  /** Drops what was written after {@code position} (a span whose mapper failed half-way). */
  void truncate(int position) {
    pos = position;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Appends everything this writer holds to {@code out}. */
  void writeTo(ProtoWriter out) {
    out.raw(buf, 0, pos);
  }

  /** Appends bytes that are already protobuf (a field encoded once, reused). */
  void raw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
  }

  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
  }

  void fixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void fixed32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void varintField(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  void fixed64Field(int field, long value) {
    tag(field, FIXED64);
    fixed64(value);
  }

  void fixed32Field(int field, int value) {
    tag(field, FIXED32);
    fixed32(value);
  }

  void stringField(int field, String value) {
    tag(field, LENGTH_DELIMITED);
    int lengthAt = pos;
    ensure(1);
    pos++;
    utf8(value);
    patchLength(lengthAt);
  }

  /** A big-endian id (trace id halves, span id) as a bytes field, as OTLP carries ids. */
  void idField(int field, long high, long low, boolean with128Bits) {
    tag(field, LENGTH_DELIMITED);
    int length = with128Bits ? 16 : 8;
    varint(length);
    ensure(length);
    if (with128Bits) {
      bigEndian(high);
    }
    bigEndian(low);
  }

  /** Starts a length-delimited field; returns the mark to give to {@link #endMessage}. */
  int beginMessage(int field) {
    tag(field, LENGTH_DELIMITED);
    ensure(1);
    return pos++;
  }

  void endMessage(int mark) {
    patchLength(mark);
  }

  private void patchLength(int lengthAt) {
    int length = pos - lengthAt - 1;
    int size = varintSize(length);
    if (size > 1) {
      ensure(size - 1);
      System.arraycopy(buf, lengthAt + 1, buf, lengthAt + size, length);
      pos += size - 1;
    }
    int at = lengthAt;
    long value = length;
    while ((value & ~0x7FL) != 0) {
      buf[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[at] = (byte) value;
  }

  private void bigEndian(long value) {
    for (int i = 7; i >= 0; i--) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  private void utf8(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else {
        // Worst case 3 bytes per char for the rest (a surrogate pair: 4 bytes for 2 chars).
        ensure(3 * (n - i));
        if (c < 0x800) {
          buf[pos++] = (byte) (0xC0 | (c >>> 6));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          buf[pos++] = (byte) (0xF0 | (cp >>> 18));
          buf[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
          buf[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          buf[pos++] = (byte) '?'; // an unpaired surrogate, as String.getBytes(UTF_8) writes it
        } else {
          buf[pos++] = (byte) (0xE0 | (c >>> 12));
          buf[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
  }

  static int varintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
