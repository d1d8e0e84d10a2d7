package dev.sketchtrace.collector.store;

/** What a series holds; part of the series identity, so one series never mixes kinds. */
public enum Kind {
  /** An OTLP exponential histogram, stored as a {@code QuantileSketch} (exact merge). */
  EXP_HISTOGRAM(1, "exponential_histogram"),
  /** An OTLP monotonic or non-monotonic Sum, stored as the delta total of the bucket. */
  SUM(2, "sum"),
  /** An OTLP Gauge: the last value of the bucket. */
  GAUGE(3, "gauge"),
  /** An OTLP explicit-bucket histogram, kept as it is (counts added when bounds are equal). */
  EXPLICIT_HISTOGRAM(4, "histogram"),
  /** A {@code TopK} weighted by nanoseconds, from {@code /v1/sketches}. */
  TOPK_TIME(5, "topk_time"),
  /** A {@code TopK} weighted by calls, from {@code /v1/sketches}. */
  TOPK_CALLS(6, "topk_calls"),
  /** A {@code HyperLogLog}, from {@code /v1/sketches}. */
  HLL(7, "hll");

  public final int code;
  public final String label;

  Kind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public static Kind ofCode(int code) {
    for (Kind k : values()) {
      if (k.code == code) return k;
    }
    throw new IllegalArgumentException("unknown series kind " + code);
  }
}
