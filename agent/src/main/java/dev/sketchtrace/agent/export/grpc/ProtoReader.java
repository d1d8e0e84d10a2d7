package dev.sketchtrace.agent.export.grpc;

import java.io.IOException;

/**
 * Reads the few protobuf fields the client looks at in responses: {@code google.rpc.Status} details
 * (for {@code RetryInfo}) and the OTLP responses' {@code partial_success}. Wire format only (varint,
 * 64-bit, length-delimited, 32-bit); unknown fields are skipped. Not thread-safe.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private int pos;
  private final int end;

  ProtoReader(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  ProtoReader(byte[] data) {
    this(data, 0, data.length);
  }

  boolean hasMore() {
    return pos < end;
  }

  /** The next tag: field number {@code << 3 | wire type}. */
  int readTag() throws IOException {
    return (int) readVarint();
  }

  long readVarint() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IOException("truncated varint");
      }
      int b = data[pos++] & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("varint too long");
  }

  /** A length-delimited field as a reader over its bytes. */
  ProtoReader readMessage() throws IOException {
    int length = readLength();
    ProtoReader nested = new ProtoReader(data, pos, length);
    pos += length;
    return nested;
  }

  String readString() throws IOException {
    int length = readLength();
    String s = new String(data, pos, length, java.nio.charset.StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  void skip(int wireType) throws IOException {
    switch (wireType) {
      case VARINT:
        readVarint();
        break;
      case FIXED64:
        advance(8);
        break;
      case LENGTH_DELIMITED:
        advance(readLength());
        break;
      case FIXED32:
        advance(4);
        break;
      default:
        throw new IOException("unsupported wire type " + wireType);
    }
  }

  private int readLength() throws IOException {
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw new IOException("length beyond the message");
    }
    return (int) length;
  }

  private void advance(int n) throws IOException {
    if (n > end - pos) {
      throw new IOException("truncated field");
    }
    pos += n;
  }
}
