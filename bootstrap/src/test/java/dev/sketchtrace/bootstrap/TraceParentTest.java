package dev.sketchtrace.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {
  private static final String HEADER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void parsesTheSpecificationExample() {
    assertThat(TraceParent.isValid(HEADER)).isTrue();
    assertThat(TraceParent.traceIdHex(TraceParent.traceIdHigh(HEADER), TraceParent.traceIdLow(HEADER)))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceParent.spanIdHex(TraceParent.parentSpanId(HEADER))).isEqualTo("00f067aa0ba902b7");
    assertThat(TraceParent.traceFlags(HEADER)).isEqualTo(TraceFlags.SAMPLED);
  }

  @Test
  void rejectsWhatTheSpecificationForbids() {
    assertThat(TraceParent.isValid(null)).isFalse();
    assertThat(TraceParent.isValid("")).isFalse();
    assertThat(TraceParent.isValid(HEADER.toUpperCase())).isFalse();
    assertThat(TraceParent.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isFalse();
    assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isFalse();
    assertThat(TraceParent.isValid("ff" + HEADER.substring(2))).isFalse();
    assertThat(TraceParent.isValid(HEADER + "-extra")).isFalse();
    assertThat(TraceParent.isValid("01" + HEADER.substring(2) + "-extra")).isTrue();
  }

  @Test
  void aContinuedSpanFormatsAHeaderWithItsOwnIdAndTheTrace() {
    HeadSampler.configure(1.0, true);
    CustomSpan child = new CustomSpan(null, "x", SpanKind.INTERNAL);
    String header = TraceParent.format(child);
    assertThat(TraceParent.isValid(header)).isTrue();
    assertThat(TraceParent.parentSpanId(header)).isEqualTo(child.spanId());
    assertThat(TraceParent.traceIdLow(header)).isEqualTo(child.traceIdLow());
  }
}
