package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sketchtrace.sketch.QuantileSketch;
import org.junit.jupiter.api.Test;

/** The accumulator merges exactly, passes a lone value through as it was read, and never changes its inputs. */
class ValueCodecAccumulatorTest {
  private static QuantileSketch sketch(double... values) {
    QuantileSketch s = QuantileSketch.forLatencies();
    for (double v : values) s.add(v);
    return s;
  }

  @Test
  void aLoneValueIsWrittenAsItWasReadAndMergesAreExact() {
    QuantileSketch a = sketch(0.010, 0.020);
    byte[] aBytes = a.toBytes();
    ValueCodec.Accumulator acc = new ValueCodec.Accumulator(Kind.EXP_HISTOGRAM);
    assertThat(acc.isEmpty()).isTrue();
    acc.add(a, aBytes);
    assertThat(acc.toBytes()).isSameAs(aBytes);
    assertThat(acc.sketch().count()).isEqualTo(2);

    QuantileSketch b = sketch(0.5, 1.5, 2.5);
    acc.add(b, b.toBytes());
    acc.add(sketch(3.0).toBytes());
    assertThat(acc.sketch().count()).isEqualTo(6);
    assertThat(acc.toBytes()).isEqualTo(ValueCodec.merge(Kind.EXP_HISTOGRAM,
        ValueCodec.merge(Kind.EXP_HISTOGRAM, aBytes, b.toBytes()), sketch(3.0).toBytes()));
    assertThat(a.count()).as("inputs are not changed").isEqualTo(2);
    assertThat(b.count()).isEqualTo(3);
  }

  @Test
  void aRefusedMergeLeavesTheAccumulatorAsItWas() {
    QuantileSketch a = sketch(0.010);
    ValueCodec.Accumulator acc = new ValueCodec.Accumulator(Kind.EXP_HISTOGRAM);
    acc.add(a, a.toBytes());
    QuantileSketch otherZero = QuantileSketch.create(QuantileSketch.DEFAULT_SCALE, QuantileSketch.DEFAULT_MAX_BUCKETS, 1e-3);
    otherZero.add(0.5);
    assertThatThrownBy(() -> acc.add(otherZero, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(acc.toBytes()).isEqualTo(a.toBytes());
    acc.add(sketch(0.020), null);
    assertThatThrownBy(() -> acc.add(otherZero, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(acc.sketch().count()).isEqualTo(2);
  }
}
