package dev.sketchtrace.agent.export.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes request header blocks (RFC 7541) without ever touching the peer's dynamic table: a field
 * equal to a static-table entry is sent indexed (6.1), any other as a literal without indexing
 * (6.2.2) — with the static table's name index when there is one — and fields marked sensitive as
 * never indexed (6.2.3), so intermediaries do not index credentials. Strings are sent raw, never
 * Huffman-coded: both are valid choices of an encoder, and they keep the encoder stateless, so a
 * request's block never depends on what an earlier request sent.
 *
 * <p>Stateless and thread-safe.
 */
final class HpackEncoder {
  private HpackEncoder() {}

  /** One header block; {@code sensitive[i]} marks field {@code i} never indexed (may be null). */
  static byte[] encode(List<HeaderField> fields, boolean[] sensitive) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    for (int i = 0; i < fields.size(); i++) {
      HeaderField f = fields.get(i);
      boolean neverIndexed = sensitive != null && sensitive[i];
      int full = neverIndexed ? 0 : HpackStaticTable.indexOf(f.name, f.value);
      if (full > 0) {
        writeInt(out, 0x80, 7, full);
        continue;
      }
      int nameIndex = HpackStaticTable.indexOfName(f.name);
      writeInt(out, neverIndexed ? 0x10 : 0x00, 4, nameIndex);
      if (nameIndex == 0) {
        writeString(out, f.name);
      }
      writeString(out, f.value);
    }
    return out.toByteArray();
  }

  /** 5.1: {@code value} with an N-bit prefix; {@code flags} fills the octet's high bits. */
  static void writeInt(ByteArrayOutputStream out, int flags, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out.write(flags | value);
      return;
    }
    out.write(flags | max);
    value -= max;
    while (value >= 0x80) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    writeInt(out, 0x00, 7, bytes.length);
    out.write(bytes, 0, bytes.length);
  }
}
