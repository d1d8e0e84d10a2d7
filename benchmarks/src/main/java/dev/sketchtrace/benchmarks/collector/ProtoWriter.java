package dev.sketchtrace.benchmarks.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Not thread-safe: a minimal protobuf wire-format writer, so the load generator runs in its own
 * JVM with only the JDK (the benchmarks module does not carry the OTLP classes). Field numbers come
 * from the OTLP .proto files; the collector answering 200 is the check that they are right.
 */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  ProtoWriter varintField(int field, long v) {
    tag(field, 0);
    varint(v);
    return this;
  }

  ProtoWriter sint32Field(int field, int v) {
    return varintField(field, (v << 1) ^ (v >> 31));
  }

  ProtoWriter fixed64Field(int field, long v) {
    tag(field, 1);
    for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
    return this;
  }

  ProtoWriter doubleField(int field, double v) {
    return fixed64Field(field, Double.doubleToRawLongBits(v));
  }

  ProtoWriter bytesField(int field, byte[] b) {
    tag(field, 2);
    varint(b.length);
    out.writeBytes(b);
    return this;
  }

  ProtoWriter stringField(int field, String s) {
    return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter messageField(int field, ProtoWriter m) {
    return bytesField(field, m.toByteArray());
  }

  ProtoWriter packedVarints(int field, long[] values) {
    ProtoWriter p = new ProtoWriter();
    for (long v : values) p.varint(v);
    return bytesField(field, p.toByteArray());
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** An OTLP {@code KeyValue} with a string value. */
  static ProtoWriter attribute(String key, String value) {
    return new ProtoWriter().stringField(1, key).messageField(2, new ProtoWriter().stringField(1, value));
  }
}
