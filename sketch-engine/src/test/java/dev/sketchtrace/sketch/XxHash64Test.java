package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class XxHash64Test {

  private static long h(String ascii) {
    return XxHash64.hash(ascii.getBytes(StandardCharsets.US_ASCII), 0);
  }

  @Test
  void matchesPublishedVectors() {
    assertThat(h("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(h("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(h("abc")).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(h("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Test
  void hashingCharsEqualsHashingTheirUtf16LeBytes() {
    SplittableRandom r = new SplittableRandom(1);
    for (int len = 0; len < 80; len++) {
      for (int t = 0; t < 5; t++) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
          // No surrogates: getBytes would replace an unpaired one, hashChars hashes it as is.
          int c = r.nextInt(0x10000 - 0x800);
          sb.append((char) (c < 0xD800 ? c : c + 0x800));
        }
        String s = sb.toString();
        long seed = r.nextLong();
        assertThat(XxHash64.hashChars(s, seed)).isEqualTo(XxHash64.hash(s.getBytes(StandardCharsets.UTF_16LE), seed));
      }
    }
  }
}
