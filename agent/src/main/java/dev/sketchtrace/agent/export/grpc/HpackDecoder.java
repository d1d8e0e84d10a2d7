package dev.sketchtrace.agent.export.grpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK header blocks (RFC 7541) received on one HTTP/2 connection: indexed fields from the
 * static and dynamic tables, literals with incremental indexing, without indexing and never indexed,
 * dynamic table size updates, and Huffman-coded strings.
 *
 * <p>The dynamic table lives as long as the connection and is updated in the order blocks arrive,
 * so every header block the peer sends must go through {@link #decode} — even one for a stream the
 * client no longer cares about. Memory is bounded by {@code maxTableSize} (the table) and {@code
 * maxHeaderListSize} (one decoded block).
 *
 * <p>Not thread-safe: one instance per connection, used by the thread reading it.
 */
final class HpackDecoder {
  /** The limit the decoder announced (SETTINGS_HEADER_TABLE_SIZE); size updates may not exceed it. */
  private final int maxAllowedTableSize;
  private final int maxHeaderListSize;
  /** The limit set by the encoder's last dynamic table size update. */
  private int maxTableSize;
  private int tableSize;
  /** Oldest entry first: HPACK index 62 is the last element. */
  private final List<HeaderField> table = new ArrayList<>();

  HpackDecoder(int maxAllowedTableSize, int maxHeaderListSize) {
    this.maxAllowedTableSize = maxAllowedTableSize;
    this.maxTableSize = maxAllowedTableSize;
    this.maxHeaderListSize = maxHeaderListSize;
  }

  /** Decodes one complete header block (HEADERS plus CONTINUATION fragments, concatenated). */
  List<HeaderField> decode(byte[] block) throws HpackException {
    List<HeaderField> fields = new ArrayList<>();
    int listSize = 0;
    int[] pos = {0};
    while (pos[0] < block.length) {
      int b = block[pos[0]] & 0xff;
      HeaderField field;
      if ((b & 0x80) != 0) { // 6.1 indexed header field
        int index = readInt(block, pos, 7);
        if (index == 0) {
          throw new HpackException("index 0");
        }
        field = entry(index);
      } else if ((b & 0x40) != 0) { // 6.2.1 literal with incremental indexing
        field = literal(block, pos, 6);
        add(field);
      } else if ((b & 0x20) != 0) { // 6.3 dynamic table size update
        if (!fields.isEmpty()) {
          throw new HpackException("dynamic table size update after a header field");
        }
        int size = readInt(block, pos, 5);
        if (size > maxAllowedTableSize) {
          throw new HpackException("dynamic table size " + size + " above " + maxAllowedTableSize);
        }
        maxTableSize = size;
        evictTo(maxTableSize);
        continue;
      } else { // 6.2.2 without indexing (0000), 6.2.3 never indexed (0001)
        field = literal(block, pos, 4);
      }
      listSize += field.hpackSize();
      if (listSize > maxHeaderListSize) {
        throw new HpackException("header list larger than " + maxHeaderListSize + " octets");
      }
      fields.add(field);
    }
    return fields;
  }

  /** The dynamic table's current size in octets (RFC 7541, Section 4.1). */
  int tableSize() {
    return tableSize;
  }

  /** Dynamic entry {@code i} (1 = newest), for tests. */
  HeaderField dynamicEntry(int i) {
    return table.get(table.size() - i);
  }

  int dynamicLength() {
    return table.size();
  }

  private HeaderField entry(int index) throws HpackException {
    if (index <= HpackStaticTable.LENGTH) {
      return new HeaderField(HpackStaticTable.name(index), HpackStaticTable.value(index));
    }
    int dynamic = index - HpackStaticTable.LENGTH;
    if (dynamic > table.size()) {
      throw new HpackException("index " + index + " beyond the dynamic table");
    }
    return table.get(table.size() - dynamic);
  }

  private HeaderField literal(byte[] block, int[] pos, int prefix) throws HpackException {
    int nameIndex = readInt(block, pos, prefix);
    String name = nameIndex == 0 ? readString(block, pos) : entry(nameIndex).name;
    return new HeaderField(name, readString(block, pos));
  }

  private void add(HeaderField field) {
    int size = field.hpackSize();
    if (size > maxTableSize) {
      // 4.4: an entry larger than the table empties it and is not added.
      table.clear();
      tableSize = 0;
      return;
    }
    evictTo(maxTableSize - size);
    table.add(field);
    tableSize += size;
  }

  private void evictTo(int size) {
    while (tableSize > size) {
      tableSize -= table.remove(0).hpackSize();
    }
  }

  /** 5.1: an integer with an N-bit prefix, starting at the current octet. */
  static int readInt(byte[] block, int[] pos, int prefixBits) throws HpackException {
    int max = (1 << prefixBits) - 1;
    int first = block[pos[0]++] & max;
    if (first < max) {
      return first;
    }
    long value = first;
    for (int shift = 0; shift <= 28; shift += 7) {
      if (pos[0] >= block.length) {
        throw new HpackException("truncated integer");
      }
      int b = block[pos[0]++] & 0xff;
      value += (long) (b & 0x7f) << shift;
      if (value > Integer.MAX_VALUE) {
        break;
      }
      if ((b & 0x80) == 0) {
        return (int) value;
      }
    }
    throw new HpackException("integer overflow");
  }

  /** 5.2: a string literal, Huffman-coded when the H bit is set. */
  private String readString(byte[] block, int[] pos) throws HpackException {
    if (pos[0] >= block.length) {
      throw new HpackException("truncated string");
    }
    boolean huffman = (block[pos[0]] & 0x80) != 0;
    int length = readInt(block, pos, 7);
    if (length > block.length - pos[0]) {
      throw new HpackException("string longer than the block");
    }
    byte[] bytes =
        huffman
            ? Huffman.decode(block, pos[0], length)
            : java.util.Arrays.copyOfRange(block, pos[0], pos[0] + length);
    pos[0] += length;
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
