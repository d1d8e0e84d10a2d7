package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated bytes fed to every deserializer: each input is either rejected with a
 * {@link SketchFormatException} or accepted, and an accepted input is canonical — it serializes back
 * to exactly the same bytes and answers queries without failing.
 */
class FormatFuzzTest {
  private static final int ROUNDS = 4_000;

  private static <S extends MergeableSketch<S>> void fuzz(String what, byte[] valid, Function<byte[], S> reader,
      java.util.function.Consumer<S> exercise, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    assertThat(reader.apply(valid).toBytes()).isEqualTo(valid);
    for (int cut = 0; cut < valid.length; cut++) {
      check(what, Arrays.copyOf(valid, cut), reader, exercise);
    }
    for (int i = 0; i < ROUNDS; i++) {
      byte[] b;
      switch (r.nextInt(5)) {
        case 0: { // pure noise behind a plausible header
          b = new byte[r.nextInt(80)];
          r.nextBytes(b);
          if (b.length >= 2 && r.nextBoolean()) {
            b[0] = valid[0];
            b[1] = valid[1];
          }
          break;
        }
        case 1: { // flip a few bytes
          b = valid.clone();
          for (int k = 1 + r.nextInt(4); k > 0; k--) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
          break;
        }
        case 2: { // flip one bit
          b = valid.clone();
          int p = r.nextInt(b.length);
          b[p] ^= (byte) (1 << r.nextInt(8));
          break;
        }
        case 3: { // insert or delete a byte
          int p = r.nextInt(valid.length);
          if (r.nextBoolean()) {
            b = new byte[valid.length + 1];
            System.arraycopy(valid, 0, b, 0, p);
            b[p] = (byte) r.nextInt(256);
            System.arraycopy(valid, p, b, p + 1, valid.length - p);
          } else {
            b = new byte[valid.length - 1];
            System.arraycopy(valid, 0, b, 0, p);
            System.arraycopy(valid, p + 1, b, p, valid.length - p - 1);
          }
          break;
        }
        default: { // huge lengths: set a run of 0xFF / 0x7F bytes
          b = valid.clone();
          int p = r.nextInt(b.length);
          for (int k = p; k < Math.min(b.length, p + 5); k++) {
            b[k] = (byte) (k == p + 4 ? 0x7F : 0xFF);
          }
        }
      }
      check(what, b, reader, exercise);
    }
  }

  private static <S extends MergeableSketch<S>> void check(String what, byte[] b, Function<byte[], S> reader,
      java.util.function.Consumer<S> exercise) {
    S s;
    try {
      s = reader.apply(b);
    } catch (SketchFormatException expected) {
      return;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(what + " threw " + e + " for " + HexFormat.of().formatHex(b), e);
    }
    if (!Arrays.equals(s.toBytes(), b)) {
      fail(what + " accepted a non-canonical input " + HexFormat.of().formatHex(b));
    }
    exercise.accept(s);
    S c = s.copy();
    c.merge(s.copy());
    s.sizeInBytes();
  }

  @Test
  void quantileSketch() {
    QuantileSketch s = QuantileSketch.create(3, 16);
    for (double v : new double[] {0, -3, 1e-6, 5, 7, 7, 1e9, 2.5}) {
      s.add(v);
    }
    fuzz("QuantileSketch", s.toBytes(), QuantileSketch::fromBytes, q -> {
      q.quantile(0.5);
      q.quantile(1);
      Drift.ksDistance(q, q);
    }, 1);
  }

  @Test
  void hyperLogLog() {
    HyperLogLog h = new HyperLogLog(4);
    for (int i = 0; i < 40; i++) {
      h.addLong(i);
    }
    fuzz("HyperLogLog", h.toBytes(), HyperLogLog::fromBytes, HyperLogLog::estimate, 2);
  }

  @Test
  void countMin() {
    CountMinSketch c = CountMinSketch.withDimensions(8, 3, true);
    for (int i = 0; i < 40; i++) {
      c.add("k" + (i % 7), i);
    }
    fuzz("CountMinSketch", c.toBytes(), CountMinSketch::fromBytes, x -> x.estimate("k1"), 3);
    CountMinSketch plain = CountMinSketch.withDimensions(4, 2, false);
    plain.add("a", 3);
    fuzz("CountMinSketch", plain.toBytes(), CountMinSketch::fromBytes, x -> x.estimate("a"), 4);
  }

  @Test
  void topK() {
    TopK t = TopK.create(0.5, 0.3, 3);
    for (int i = 0; i < 30; i++) {
      t.add("q" + (i % 5), 1 + i);
    }
    fuzz("TopK", t.toBytes(), TopK::fromBytes, x -> x.top(), 5);
  }

  @Test
  void hostileHeadersAreRejectedClearly() {
    assertThatThrownBy(() -> QuantileSketch.fromBytes(new byte[0])).isInstanceOf(SketchFormatException.class)
        .hasMessageContaining("truncated");
    byte[] q = QuantileSketch.forLatencies().toBytes();
    q[0] = 2;
    assertThatThrownBy(() -> QuantileSketch.fromBytes(q)).hasMessageContaining("unsupported format version 2");
    assertThatThrownBy(() -> QuantileSketch.fromBytes(HyperLogLog.create().toBytes())).hasMessageContaining("not a quantile");
    assertThatThrownBy(() -> HyperLogLog.fromBytes(null)).isInstanceOf(SketchFormatException.class);
    // A CMS header claiming 2^20 x 16 counters with no bytes behind it must not allocate them.
    byte[] cms = {1, 0x43, 0, 0x10, 0, 0, 16, 1, 5};
    assertThatThrownBy(() -> CountMinSketch.fromBytes(cms)).hasMessageContaining("cannot fit");

    QuantileSketch s = QuantileSketch.create(5, 8);
    s.add(1.0);
    byte[] good = s.toBytes();
    byte[] nanSum = good.clone();
    java.nio.ByteBuffer.wrap(nanSum).putDouble(15, Double.NaN); // sum sits after version..zeroThreshold
    assertThatThrownBy(() -> QuantileSketch.fromBytes(nanSum)).hasMessageContaining("NaN");
    byte[] tooLong = good.clone();
    tooLong[good.length - 7] = 9; // positive length 9 > maxBucketsPerSign 8
    assertThatThrownBy(() -> QuantileSketch.fromBytes(tooLong)).hasMessageContaining("exceeds the limit 8");
    byte[] hugeVarint = {1, 0x48, 14};
    assertThatThrownBy(() -> HyperLogLog.fromBytes(hugeVarint)).hasMessageContaining("register bytes");
    byte[] overflowCount = {1, 0x43, 0, 0, 0, 1, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 0};
    assertThatThrownBy(() -> CountMinSketch.fromBytes(overflowCount)).hasMessageContaining("varint");
  }

  /** Bytes written by format version 1; they must keep reading as the same state. */
  @Test
  void versionOneFixturesStillRead() {
    QuantileSketch s = QuantileSketch.forLatencies();
    for (double v : new double[] {-2, 0, 1, 1.5, 100}) {
      s.add(v);
    }
    String fixture = "0151050000080000000000000000004059200000000000c000000000000000405900000000000001ffffffffd6010100"
        + "000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000"
        + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        + "00000000000000000000000000000000000000010000001f0101";
    // version 1, kind 'Q', scale 5, 2048 buckets, threshold 0, sum 100.5, min -2, max 100, one zero,
    // positive buckets -1 (the value 1) .. 212 (the value 100), negative bucket 31 (the value 2)
    QuantileSketch back = QuantileSketch.fromBytes(HexFormat.of().parseHex(fixture));
    assertThat(HexFormat.of().formatHex(s.toBytes())).isEqualTo(fixture);
    assertThat(back.count()).isEqualTo(5);
    assertThat(back.quantile(1)).isEqualTo(100);
  }
}
