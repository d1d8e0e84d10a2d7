package dev.sketchtrace.collector.store;

import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.QuantileSketch;
import dev.sketchtrace.sketch.TopK;
import java.nio.ByteBuffer;

/**
 * Stateless: the stored form of one bucket's value per {@link Kind}, and its exact merge.
 * <pre>
 * EXP_HISTOGRAM      QuantileSketch.toBytes()
 * SUM                double delta total (8)
 * GAUGE              timeUnixNano(8) | value double(8)    merge keeps the later
 * EXPLICIT_HISTOGRAM n(4) | n × count(8) | sum(8) | min(8) | max(8)
 * TOPK_*, HLL        the sketch-engine binary form
 * </pre>
 */
public final class ValueCodec {
  private ValueCodec() {}

  public static byte[] merge(Kind kind, byte[] a, byte[] b) {
    switch (kind) {
      case EXP_HISTOGRAM: {
        QuantileSketch s = QuantileSketch.fromBytes(a);
        s.merge(QuantileSketch.fromBytes(b));
        return s.toBytes();
      }
      case SUM:
        return sum(ByteBuffer.wrap(a).getDouble() + ByteBuffer.wrap(b).getDouble());
      case GAUGE:
        return ByteBuffer.wrap(a).getLong() >= ByteBuffer.wrap(b).getLong() ? a : b;
      case EXPLICIT_HISTOGRAM:
        return ExplicitHistogram.decode(a).plus(ExplicitHistogram.decode(b)).encode();
      case TOPK_TIME:
      case TOPK_CALLS: {
        TopK t = TopK.fromBytes(a);
        t.merge(TopK.fromBytes(b));
        return t.toBytes();
      }
      case HLL: {
        HyperLogLog h = HyperLogLog.fromBytes(a);
        h.merge(HyperLogLog.fromBytes(b));
        return h.toBytes();
      }
      default:
        throw new IllegalArgumentException("kind " + kind);
    }
  }

  /**
   * Not thread-safe: merges many values of one kind, keeping an exponential histogram decoded
   * between merges (decode each input once, encode the result once). A single value is neither
   * copied nor re-encoded: the rollup folds most points into buckets that hold only that point, and
   * then writes the bytes it read.
   */
  public static final class Accumulator {
    private final Kind kind;
    private QuantileSketch sketch; // owned: a copy, once two values were merged
    private QuantileSketch single; // the only value so far, not owned (never modified)
    private byte[] singleBytes; // its encoded form, when the caller had it
    private byte[] bytes;

    public Accumulator(Kind kind) {
      this.kind = kind;
    }

    /** Adds an encoded value. */
    public void add(byte[] value) {
      if (kind == Kind.EXP_HISTOGRAM) add(QuantileSketch.fromBytes(value), value);
      else bytes = bytes == null ? value : merge(kind, bytes, value);
    }

    /** Adds a decoded sketch (of an EXP_HISTOGRAM series); {@code q} is not changed. */
    public void add(QuantileSketch q) {
      add(q, null);
    }

    /**
     * Adds a decoded sketch and, if known, its encoded form ({@code q.toBytes()}, or null); neither
     * is changed. A merge the sketch refuses throws and leaves the accumulator as it was.
     */
    public void add(QuantileSketch q, byte[] encoded) {
      if (sketch != null) {
        sketch.merge(q);
      } else if (single == null) {
        single = q;
        singleBytes = encoded;
      } else {
        QuantileSketch merged = single.copy();
        merged.merge(q);
        sketch = merged;
        single = null;
        singleBytes = null;
      }
    }

    /**
     * Adds a decoded sketch that nothing else refers to: the accumulator keeps it and merges later
     * values into it, saving the copy {@link #add(QuantileSketch, byte[])} makes of a first value.
     */
    public void addOwned(QuantileSketch q) {
      if (sketch == null && single == null) sketch = q;
      else add(q, null);
    }

    public boolean isEmpty() {
      return sketch == null && single == null && bytes == null;
    }

    public Kind kind() {
      return kind;
    }

    /** The decoded sketch of an EXP_HISTOGRAM accumulator (null when empty); do not modify. */
    public QuantileSketch sketch() {
      return sketch != null ? sketch : single;
    }

    public byte[] toBytes() {
      if (kind != Kind.EXP_HISTOGRAM) return bytes;
      if (sketch != null) return sketch.toBytes();
      if (single == null) return null;
      return singleBytes != null ? singleBytes : single.toBytes();
    }
  }

  /** Throws {@link IllegalArgumentException} naming the problem when {@code value} is not a valid stored value. */
  public static void validate(Kind kind, byte[] value) {
    try {
      switch (kind) {
        case EXP_HISTOGRAM: QuantileSketch.fromBytes(value); break;
        case TOPK_TIME:
        case TOPK_CALLS: TopK.fromBytes(value); break;
        case HLL: HyperLogLog.fromBytes(value); break;
        default: break;
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid " + kind.label + " sketch: " + e.getMessage(), e);
    }
  }

  public static byte[] sum(double v) {
    return ByteBuffer.allocate(8).putDouble(v).array();
  }

  public static double sumOf(byte[] v) {
    return ByteBuffer.wrap(v).getDouble();
  }

  public static byte[] gauge(long timeUnixNano, double v) {
    return ByteBuffer.allocate(16).putLong(timeUnixNano).putDouble(v).array();
  }

  public static double gaugeOf(byte[] v) {
    return ByteBuffer.wrap(v, 8, 8).getDouble();
  }

  /** Immutable: an explicit-bucket histogram bucket value; bounds live in the series identity. */
  public record ExplicitHistogram(long[] counts, double sum, double min, double max) {
    public long count() {
      long c = 0;
      for (long x : counts) c = Math.addExact(c, x);
      return c;
    }

    ExplicitHistogram plus(ExplicitHistogram o) {
      if (o.counts.length != counts.length) {
        throw new IllegalArgumentException("bucket counts differ: " + counts.length + " vs " + o.counts.length);
      }
      long[] c = new long[counts.length];
      for (int i = 0; i < c.length; i++) c[i] = Math.addExact(counts[i], o.counts[i]);
      return new ExplicitHistogram(c, sum + o.sum, Math.min(min, o.min), Math.max(max, o.max));
    }

    public byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(4 + counts.length * 8 + 24).putInt(counts.length);
      for (long c : counts) b.putLong(c);
      return b.putDouble(sum).putDouble(min).putDouble(max).array();
    }

    public static ExplicitHistogram decode(byte[] v) {
      ByteBuffer b = ByteBuffer.wrap(v);
      long[] c = new long[b.getInt()];
      for (int i = 0; i < c.length; i++) c[i] = b.getLong();
      return new ExplicitHistogram(c, b.getDouble(), b.getDouble(), b.getDouble());
    }
  }
}
