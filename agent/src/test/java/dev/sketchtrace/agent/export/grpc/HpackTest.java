package dev.sketchtrace.agent.export.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HPACK decoder and encoder against the examples of RFC 7541, Appendix C: C.2 (single fields),
 * C.3/C.4 (three requests on one connection, without and with Huffman coding) and C.5/C.6 (three
 * responses with a 256-octet table, so entries are evicted). Each example checks the decoded header
 * list and the dynamic table afterwards (entries, newest first, and size).
 */
class HpackTest {
  private static final String DATE_1 = "Mon, 21 Oct 2013 20:13:21 GMT";
  private static final String DATE_2 = "Mon, 21 Oct 2013 20:13:22 GMT";
  private static final String COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

  @Test
  void c2_1_literalWithIndexing() throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThat(d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")))
        .containsExactly(f("custom-key", "custom-header"));
    assertTable(d, 55, f("custom-key", "custom-header"));
  }

  @Test
  void c2_2_literalWithoutIndexing() throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThat(d.decode(hex("040c 2f73 616d 706c 652f 7061 7468")))
        .containsExactly(f(":path", "/sample/path"));
    assertTable(d, 0);
  }

  @Test
  void c2_3_literalNeverIndexed() throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThat(d.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74")))
        .containsExactly(f("password", "secret"));
    assertTable(d, 0);
  }

  @Test
  void c2_4_indexed() throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThat(d.decode(hex("82"))).containsExactly(f(":method", "GET"));
    assertTable(d, 0);
  }

  @Test
  void c3_requestsWithoutHuffman() throws Exception {
    requests(
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
  }

  @Test
  void c4_requestsWithHuffman() throws Exception {
    requests(
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
  }

  private static void requests(String first, String second, String third) throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    HeaderField authority = f(":authority", "www.example.com");
    assertThat(d.decode(hex(first)))
        .containsExactly(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), authority);
    assertTable(d, 57, authority);

    HeaderField noCache = f("cache-control", "no-cache");
    assertThat(d.decode(hex(second)))
        .containsExactly(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), authority, noCache);
    assertTable(d, 110, noCache, authority);

    HeaderField custom = f("custom-key", "custom-value");
    assertThat(d.decode(hex(third)))
        .containsExactly(f(":method", "GET"), f(":scheme", "https"), f(":path", "/index.html"),
            authority, custom);
    assertTable(d, 164, custom, noCache, authority);
  }

  @Test
  void c5_responsesWithoutHuffman() throws Exception {
    responses(
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a"
            + " 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04"
            + " 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745"
            + " 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31");
  }

  @Test
  void c6_responsesWithHuffman() throws Exception {
    responses(
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e"
            + " 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7"
            + " 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0"
            + " 03ed 4ee5 b106 3d50 07");
  }

  private static void responses(String first, String second, String third) throws Exception {
    HpackDecoder d = new HpackDecoder(256, 65536);
    HeaderField status302 = f(":status", "302");
    HeaderField privateCache = f("cache-control", "private");
    HeaderField date1 = f("date", DATE_1);
    HeaderField location = f("location", "https://www.example.com");
    assertThat(d.decode(hex(first))).containsExactly(status302, privateCache, date1, location);
    assertTable(d, 222, location, date1, privateCache, status302);

    HeaderField status307 = f(":status", "307");
    assertThat(d.decode(hex(second))).containsExactly(status307, privateCache, date1, location);
    assertTable(d, 222, status307, location, date1, privateCache); // ":status: 302" evicted

    HeaderField date2 = f("date", DATE_2);
    HeaderField gzip = f("content-encoding", "gzip");
    HeaderField cookie = f("set-cookie", COOKIE);
    assertThat(d.decode(hex(third)))
        .containsExactly(f(":status", "200"), privateCache, date2, location, gzip, cookie);
    assertTable(d, 215, cookie, gzip, date2);
  }

  @Test
  void dynamicTableSizeUpdatesEvictAndAreBounded() throws Exception {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    assertTable(d, 55, f("custom-key", "custom-header"));
    // 0x20: size update to 0 empties the table; then 0x3f e1 1f: size update to 4096 (C.1-style integer).
    assertThat(d.decode(hex("20 3fe1 1f 82"))).containsExactly(f(":method", "GET"));
    assertTable(d, 0);
    assertThat(d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572 be")))
        .containsExactly(f("custom-key", "custom-header"), f("custom-key", "custom-header"));
    assertThatThrownBy(() -> d.decode(hex("3fe2 1f"))).isInstanceOf(HpackException.class); // 4097
    assertThatThrownBy(() -> d.decode(hex("82 20"))).isInstanceOf(HpackException.class); // not first
  }

  @Test
  void rejectsBrokenBlocks() {
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThatThrownBy(() -> d.decode(hex("80"))).isInstanceOf(HpackException.class); // index 0
    assertThatThrownBy(() -> d.decode(hex("be"))).isInstanceOf(HpackException.class); // empty dynamic table
    assertThatThrownBy(() -> d.decode(hex("040c 2f73"))).isInstanceOf(HpackException.class); // truncated
    // "www.example.com" Huffman-coded with its last byte's padding changed from 1s to 0s.
    assertThatThrownBy(() -> d.decode(hex("0481 8cf1 e3c2 e5f2 3a6b a0ab 90f4 f0")))
        .isInstanceOf(HpackException.class);
    // 0xff 0xff 0xff 0xff: 30 bits of 1s is EOS.
    assertThatThrownBy(() -> d.decode(hex("0484 ffff ffff"))).isInstanceOf(HpackException.class);
    assertThatThrownBy(() -> d.decode(hex("ff ffff ffff 0f"))).isInstanceOf(HpackException.class); // overflow
  }

  @Test
  void headerListSizeIsBounded() {
    HpackDecoder d = new HpackDecoder(4096, 100);
    // 2 × (":path" "/sample/path" + 32) = 98 fits, a third field does not.
    assertThatThrownBy(() -> d.decode(hex("040c 2f73 616d 706c 652f 7061 7468 040c 2f73 616d 706c 652f 7061 7468 040c 2f73 616d 706c 652f 7061 7468")))
        .isInstanceOf(HpackException.class);
  }

  @Test
  void encoderMatchesC2AndRoundTrips() throws Exception {
    assertThat(HpackEncoder.encode(List.of(f(":path", "/sample/path")), null))
        .isEqualTo(hex("040c 2f73 616d 706c 652f 7061 7468")); // C.2.2
    assertThat(HpackEncoder.encode(List.of(f("password", "secret")), new boolean[] {true}))
        .isEqualTo(hex("1008 7061 7373 776f 7264 0673 6563 7265 74")); // C.2.3
    assertThat(HpackEncoder.encode(List.of(f(":method", "GET")), null)).isEqualTo(hex("82")); // C.2.4

    List<HeaderField> request = new ArrayList<>();
    request.add(f(":method", "POST"));
    request.add(f(":scheme", "http"));
    request.add(f(":path", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"));
    request.add(f(":authority", "127.0.0.1:4317"));
    request.add(f("content-type", "application/grpc"));
    request.add(f("te", "trailers"));
    request.add(f("x-long", "v".repeat(300))); // a length beyond the 7-bit prefix
    HpackDecoder d = new HpackDecoder(4096, 65536);
    assertThat(d.decode(HpackEncoder.encode(request, null))).isEqualTo(request);
    assertTable(d, 0); // the encoder never adds to the peer's table
  }

  @Test
  void integersOfC1() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    HpackEncoder.writeInt(out, 0, 5, 10);
    HpackEncoder.writeInt(out, 0, 5, 1337);
    HpackEncoder.writeInt(out, 0, 8, 42);
    assertThat(out.toByteArray()).isEqualTo(hex("0a 1f9a 0a 2a"));
    byte[] bytes = out.toByteArray();
    int[] pos = {0};
    assertThat(HpackDecoder.readInt(bytes, pos, 5)).isEqualTo(10);
    assertThat(HpackDecoder.readInt(bytes, pos, 5)).isEqualTo(1337);
    assertThat(HpackDecoder.readInt(bytes, pos, 8)).isEqualTo(42);
  }

  @Test
  void huffmanCodesAreThoseOfAppendixB() {
    // A few codes as printed in RFC 7541 Appendix B, checking the canonical reconstruction.
    assertThat(Huffman.CODES[0]).isEqualTo(0x1ff8);
    assertThat(Huffman.CODES[1]).isEqualTo(0x7fffd8);
    assertThat(Huffman.CODES[9]).isEqualTo(0xffffea);
    assertThat(Huffman.CODES[10]).isEqualTo(0x3ffffffc);
    assertThat(Huffman.CODES['0']).isEqualTo(0x0);
    assertThat(Huffman.CODES[' ']).isEqualTo(0x14);
    assertThat(Huffman.CODES[256]).isEqualTo(0x3fffffff);
  }

  private static void assertTable(HpackDecoder d, int size, HeaderField... newestFirst) {
    List<HeaderField> entries = new ArrayList<>();
    for (int i = 1; i <= d.dynamicLength(); i++) {
      entries.add(d.dynamicEntry(i));
    }
    assertThat(entries).containsExactly(newestFirst);
    assertThat(d.tableSize()).isEqualTo(size);
  }

  private static HeaderField f(String name, String value) {
    return new HeaderField(name, value);
  }

  static byte[] hex(String s) {
    String h = s.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
