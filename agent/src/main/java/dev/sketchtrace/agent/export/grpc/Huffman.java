package dev.sketchtrace.agent.export.grpc;

import java.io.ByteArrayOutputStream;

/**
 * Decodes HPACK Huffman-coded strings (RFC 7541, Section 5.2 and Appendix B). Servers such as
 * grpc-java Huffman-encode header values whenever that is shorter, so a client must decode them; the
 * client itself never Huffman-encodes (RFC 7541 leaves that to the encoder's choice).
 *
 * <p>The code of Appendix B is canonical: codes are assigned in order of (bit length, symbol). So
 * only the 257 bit lengths are listed here and the codes are rebuilt from them; the tests check the
 * result against the Appendix C examples. Decoding walks a binary tree one bit at a time, which is
 * plenty for a few response headers per export.
 *
 * <p>Immutable and thread-safe.
 */
final class Huffman {
  /** Code length in bits of each symbol 0..255 and EOS (256), RFC 7541 Appendix B. */
  private static final byte[] LENGTHS = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30
  };

  private static final int EOS = 256;

  /** The code of each symbol, right-aligned; rebuilt canonically from {@link #LENGTHS}. */
  static final int[] CODES = canonicalCodes();

  /**
   * The decoding tree: node {@code n} has children {@code TREE[2n]} (bit 0) and {@code TREE[2n+1]}
   * (bit 1); a child {@code >= 0} is a node, {@code < 0} is the leaf of symbol {@code -child-1}.
   * Node 0 is the root. A full binary tree of 257 leaves has 256 inner nodes.
   */
  private static final int[] TREE = buildTree();

  private Huffman() {}

  private static int[] canonicalCodes() {
    Integer[] order = new Integer[LENGTHS.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> LENGTHS[a] != LENGTHS[b] ? LENGTHS[a] - LENGTHS[b] : a - b);
    int[] codes = new int[LENGTHS.length];
    long code = 0;
    int previousLength = LENGTHS[order[0]];
    for (int k = 0; k < order.length; k++) {
      int length = LENGTHS[order[k]];
      if (k > 0) {
        code = (code + 1) << (length - previousLength);
      }
      previousLength = length;
      codes[order[k]] = (int) code;
    }
    return codes;
  }

  private static int[] buildTree() {
    int[] tree = new int[2 * 256];
    java.util.Arrays.fill(tree, Integer.MIN_VALUE);
    int nodes = 1;
    for (int symbol = 0; symbol < LENGTHS.length; symbol++) {
      int node = 0;
      for (int bit = LENGTHS[symbol] - 1; bit >= 0; bit--) {
        int slot = 2 * node + ((CODES[symbol] >>> bit) & 1);
        if (bit == 0) {
          tree[slot] = -symbol - 1;
        } else {
          if (tree[slot] == Integer.MIN_VALUE) {
            tree[slot] = nodes++;
          }
          node = tree[slot];
        }
      }
    }
    return tree;
  }

  /**
   * Decodes {@code length} bytes from {@code offset}.
   *
   * @throws HpackException if the string contains EOS, or its padding is longer than 7 bits or not
   *     all ones (RFC 7541, Section 5.2)
   */
  static byte[] decode(byte[] data, int offset, int length) throws HpackException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length * 8 / 5 + 1);
    int node = 0;
    int bitsSinceSymbol = 0;
    boolean allOnes = true;
    for (int i = offset; i < offset + length; i++) {
      int b = data[i] & 0xff;
      for (int bit = 7; bit >= 0; bit--) {
        int one = (b >>> bit) & 1;
        int next = TREE[2 * node + one];
        bitsSinceSymbol++;
        allOnes &= one == 1;
        if (next < 0) {
          int symbol = -next - 1;
          if (symbol == EOS) {
            throw new HpackException("Huffman string contains EOS");
          }
          out.write(symbol);
          node = 0;
          bitsSinceSymbol = 0;
          allOnes = true;
        } else {
          node = next;
        }
      }
    }
    if (bitsSinceSymbol > 7 || !allOnes) {
      throw new HpackException("invalid Huffman padding");
    }
    return out.toByteArray();
  }
}
