package dev.sketchtrace.testing;

import com.google.protobuf.ByteString;

/** Lowercase hex of OTLP id bytes, as W3C headers spell them. */
final class Hex {
  private Hex() {}

  static String of(ByteString bytes) {
    StringBuilder out = new StringBuilder(bytes.size() * 2);
    for (int i = 0; i < bytes.size(); i++) {
      out.append(Character.forDigit((bytes.byteAt(i) >> 4) & 0xF, 16));
      out.append(Character.forDigit(bytes.byteAt(i) & 0xF, 16));
    }
    return out.toString();
  }
}
