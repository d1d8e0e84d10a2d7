package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.sketch.QuantileSketch;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * Immutable: the buckets of one exponential-histogram point, validated, in a form that can be
 * subtracted (cumulative → delta) after bringing both to the coarser scale, which is exact.
 */
final class ExpBuckets {
  final int scale;
  final double zeroThreshold;
  final long zeroCount;
  final int posOffset;
  final long[] pos;
  final int negOffset;
  final long[] neg;
  final double sum;

  private ExpBuckets(int scale, double zeroThreshold, long zeroCount, int posOffset, long[] pos, int negOffset, long[] neg, double sum) {
    this.scale = scale;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.posOffset = posOffset;
    this.pos = pos;
    this.negOffset = negOffset;
    this.neg = neg;
    this.sum = sum;
  }

  static ExpBuckets of(ExponentialHistogramDataPoint p, String name) throws InvalidDataException {
    if (p.getScale() < QuantileSketch.MIN_SCALE || p.getScale() > QuantileSketch.MAX_SCALE) {
      throw new InvalidDataException("exponential histogram point of " + MetricsConverter.bounded(name) + ": scale " + p.getScale() + " outside -10..20");
    }
    if (p.getPositive().getBucketCountsCount() > QuantileSketch.MAX_BUCKETS_LIMIT
        || p.getNegative().getBucketCountsCount() > QuantileSketch.MAX_BUCKETS_LIMIT) {
      throw new InvalidDataException("exponential histogram point of " + MetricsConverter.bounded(name) + ": more than " + QuantileSketch.MAX_BUCKETS_LIMIT + " buckets");
    }
    long[] pos = counts(p.getPositive(), name);
    long[] neg = counts(p.getNegative(), name);
    long zero = p.getZeroCount();
    if (zero < 0) throw new InvalidDataException("zero_count of " + MetricsConverter.bounded(name) + " overflows int64");
    long total = zero;
    for (long c : pos) total = MetricsConverter.addExact(total, c, name);
    for (long c : neg) total = MetricsConverter.addExact(total, c, name);
    if (total != p.getCount()) {
      throw new InvalidDataException("exponential histogram point of " + MetricsConverter.bounded(name) + ": count " + Long.toUnsignedString(p.getCount()) + " != zero_count + bucket counts " + total);
    }
    double sum = p.hasSum() ? p.getSum() : 0.0;
    if (!Double.isFinite(sum)) throw new InvalidDataException("exponential histogram point of " + MetricsConverter.bounded(name) + ": sum is not finite");
    if (!(p.getZeroThreshold() >= 0) || Double.isInfinite(p.getZeroThreshold())) {
      throw new InvalidDataException("exponential histogram point of " + MetricsConverter.bounded(name) + ": zero_threshold must be finite and >= 0");
    }
    return new ExpBuckets(p.getScale(), p.getZeroThreshold(), zero, p.getPositive().getOffset(), pos, p.getNegative().getOffset(), neg, sum);
  }

  private static long[] counts(ExponentialHistogramDataPoint.Buckets buckets, String name) throws InvalidDataException {
    long[] a = new long[buckets.getBucketCountsCount()];
    for (int i = 0; i < a.length; i++) {
      a[i] = buckets.getBucketCounts(i); // the primitive getter: the list view boxes every count
      if (a[i] < 0) throw new InvalidDataException("a bucket count of " + MetricsConverter.bounded(name) + " overflows int64");
    }
    return a;
  }

  long count() {
    long c = zeroCount;
    for (long x : pos) c += x;
    for (long x : neg) c += x;
    return c;
  }

  QuantileSketch toSketch(double min, double max) {
    return QuantileSketch.fromExponentialHistogram(scale, zeroThreshold, zeroCount, posOffset, pos, negOffset, neg, sum, min, max);
  }

  /** {@code this - earlier}; when any count would go negative (a reset), {@code this} whole. */
  ExpBuckets minus(ExpBuckets earlier) {
    int s = Math.min(scale, earlier.scale);
    long[][] a = downscale(posOffset, pos, scale - s);
    long[][] b = downscale(earlier.posOffset, earlier.pos, earlier.scale - s);
    long[][] c = downscale(negOffset, neg, scale - s);
    long[][] d = downscale(earlier.negOffset, earlier.neg, earlier.scale - s);
    long[][] p = subtract(a, b);
    long[][] n = subtract(c, d);
    long z = zeroCount - earlier.zeroCount;
    if (p == null || n == null || z < 0 || zeroThreshold != earlier.zeroThreshold) return this;
    return new ExpBuckets(s, zeroThreshold, z, (int) p[0][0], p[1], (int) n[0][0], n[1], sum - earlier.sum);
  }

  /** Returns {{offset}, counts} at {@code shift} scales coarser. */
  private static long[][] downscale(int offset, long[] counts, int shift) {
    if (counts.length == 0) return new long[][] {{0}, counts};
    int first = offset >> shift;
    int last = (offset + counts.length - 1) >> shift;
    long[] out = new long[last - first + 1];
    for (int i = 0; i < counts.length; i++) out[((offset + i) >> shift) - first] += counts[i];
    return new long[][] {{first}, out};
  }

  private static long[][] subtract(long[][] a, long[][] b) {
    if (b[1].length == 0) return a;
    if (a[1].length == 0) return null;
    int first = (int) Math.min(a[0][0], b[0][0]);
    int last = (int) Math.max(a[0][0] + a[1].length, b[0][0] + b[1].length);
    long[] out = new long[last - first];
    for (int i = 0; i < a[1].length; i++) out[(int) (a[0][0] + i - first)] += a[1][i];
    for (int i = 0; i < b[1].length; i++) {
      int k = (int) (b[0][0] + i - first);
      out[k] -= b[1][i];
      if (out[k] < 0) return null;
    }
    return new long[][] {{first}, out};
  }
}
