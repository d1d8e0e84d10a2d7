package dev.sketchtrace.sketch;

import java.util.Arrays;

/**
 * Not thread-safe (confine each instance to one thread, or guard it): a mergeable quantile sketch
 * with a relative-accuracy guarantee whose buckets are exactly those of an OTLP exponential
 * histogram.
 *
 * <h2>Accuracy</h2>
 * At scale {@code s} the buckets grow by {@code γ = 2^(2^-s)}; a quantile is answered with the
 * point of its bucket that is equally far, relatively, from both ends, so the answer is within a
 * relative error {@code α = (γ - 1) / (γ + 1)} of the true value of that rank. At the default scale
 * 5 that is <b>α = 1.083 %</b>: when the true p99 is 100 ms the sketch answers between 98.92 and
 * 101.08 ms. Each downscale (scale − 1) roughly doubles α: 2.17 % at scale 4, 4.3 % at scale 3.
 * Values whose magnitude is at most {@link #zeroThreshold()} are counted in the zero bucket and
 * answered as 0 (the default threshold is 0, so only zeros land there). {@link #min()},
 * {@link #max()}, {@link #count()} and {@link #sum()} are exact; so are {@code quantile(0)} (the min)
 * and {@code quantile(1)} (the max), and other quantiles are clamped to {@code [min, max]}. Rank convention: {@code quantile(q)} answers the value of rank
 * {@code floor(q * (count - 1))} (0-based) in sorted order.
 *
 * <h2>Buckets</h2>
 * Positive bucket {@code i} holds {@code (γ^i, γ^(i+1)]} (the OTLP convention; exact powers of γ go
 * to the lower bucket); negative values are bucketed by magnitude. Each sign keeps at most
 * {@code maxBucketsPerSign} contiguous buckets; a value that would widen the range past that makes
 * the sketch <em>downscale</em>: adjacent bucket pairs merge ({@code i → i >> 1}), which is exact
 * and still OTLP-shaped. Index computation uses the double's exponent and mantissa bits and a
 * lookup table, never {@code Math.log} per value (see {@link BucketMapping}).
 *
 * <h2>Merge</h2>
 * {@link #merge} is exact: the finer sketch is downscaled to the coarser one's scale (and further if
 * the union of ranges needs it), then counts are added. Merging shards therefore gives exactly the
 * sketch of the union (sum up to floating-point addition order). It throws
 * {@link IllegalArgumentException} when zero thresholds differ and {@link ArithmeticException} when
 * the total count would overflow; in both cases {@code this} is left unchanged.
 *
 * <h2>Binary format, version 1</h2>
 * Big-endian fixed-width fields; "varint" is unsigned LEB128 in its shortest form.
 * <pre>
 * | bytes | field                                                           |
 * |-------|-----------------------------------------------------------------|
 * | 1     | format version = 1                                              |
 * | 1     | kind = 0x51 ('Q')                                               |
 * | 1     | scale, signed, -10..20                                          |
 * | 4     | maxBucketsPerSign, 8..65536                                     |
 * | 8     | zeroThreshold, IEEE-754, finite, &ge; +0.0                      |
 * | 8     | sum (0.0 when empty)                                            |
 * | 8     | min (+Infinity when empty)                                      |
 * | 8     | max (-Infinity when empty)                                      |
 * | var   | zeroCount                                                       |
 * | 4     | positive offset: index of the first non-empty bucket (0 if none)|
 * | var   | positive length n, &le; maxBucketsPerSign                        |
 * | var×n | positive counts; the first and last are non-zero                 |
 * | 4     | negative offset                                                 |
 * | var   | negative length m                                               |
 * | var×m | negative counts (buckets of absolute values)                    |
 * </pre>
 * The count is not stored: it is derived, so it cannot disagree with the buckets.
 */
public final class QuantileSketch implements MergeableSketch<QuantileSketch> {
  /** Scale used by {@link #forLatencies()}: relative error 1.083 %. */
  public static final int DEFAULT_SCALE = 5;
  /** Bucket limit per sign used by {@link #forLatencies()}. */
  public static final int DEFAULT_MAX_BUCKETS = 2048;
  public static final int MIN_SCALE = BucketMapping.MIN_SCALE;
  public static final int MAX_SCALE = BucketMapping.MAX_SCALE;
  public static final int MIN_BUCKETS = 8;
  /** Upper limit on {@code maxBucketsPerSign}, which bounds memory and deserialization. */
  public static final int MAX_BUCKETS_LIMIT = 1 << 16;

  static final int FORMAT_VERSION = 1;
  static final int KIND = 0x51;

  private BucketMapping mapping;
  /** The scale {@link #clear()} returns to: the one created with (or read at). */
  private final int initialScale;
  private final int maxBuckets;
  private final double zeroThreshold;
  private final BucketStore positive;
  private final BucketStore negative;
  private long zeroCount;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  private QuantileSketch(int scale, int maxBuckets, double zeroThreshold) {
    this(BucketMapping.forScale(scale), maxBuckets, zeroThreshold, new BucketStore(), new BucketStore());
  }

  private QuantileSketch(
      BucketMapping mapping, int maxBuckets, double zeroThreshold, BucketStore pos, BucketStore neg) {
    this(mapping, mapping.scale(), maxBuckets, zeroThreshold, pos, neg);
  }

  private QuantileSketch(BucketMapping mapping, int initialScale, int maxBuckets, double zeroThreshold,
      BucketStore pos, BucketStore neg) {
    this.mapping = mapping;
    this.initialScale = initialScale;
    this.maxBuckets = maxBuckets;
    this.zeroThreshold = zeroThreshold;
    this.positive = pos;
    this.negative = neg;
  }

  /** Scale 5 (1.083 % relative error), 2048 buckets per sign, zero threshold 0. */
  public static QuantileSketch forLatencies() {
    return new QuantileSketch(DEFAULT_SCALE, DEFAULT_MAX_BUCKETS, 0.0);
  }

  /** A sketch starting at {@code scale} (-10..20) with at most {@code maxBucketsPerSign} buckets. */
  public static QuantileSketch create(int scale, int maxBucketsPerSign) {
    return create(scale, maxBucketsPerSign, 0.0);
  }

  /**
   * Like {@link #create(int, int)}, with values of magnitude &le; {@code zeroThreshold} counted as
   * zero (useful when tiny values are noise; they then lose the relative guarantee).
   */
  public static QuantileSketch create(int scale, int maxBucketsPerSign, double zeroThreshold) {
    BucketMapping.forScale(scale);
    checkMaxBuckets(maxBucketsPerSign);
    if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
      throw new IllegalArgumentException("zeroThreshold must be finite and >= 0: " + zeroThreshold);
    }
    return new QuantileSketch(scale, maxBucketsPerSign, zeroThreshold + 0.0);
  }

  /** The smallest scale whose relative error is at most {@code relativeAccuracy} (e.g. 0.01). */
  public static int scaleForRelativeAccuracy(double relativeAccuracy) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new IllegalArgumentException("relativeAccuracy must be in (0, 1): " + relativeAccuracy);
    }
    for (int s = MIN_SCALE; s <= MAX_SCALE; s++) {
      if (relativeError(s) <= relativeAccuracy) {
        return s;
      }
    }
    throw new IllegalArgumentException("no scale up to 20 reaches " + relativeAccuracy);
  }

  /** The relative error {@code (γ - 1) / (γ + 1)} guaranteed at {@code scale}. */
  public static double relativeError(int scale) {
    double gamma = BucketMapping.forScale(scale).baseRatio();
    return (gamma - 1) / (gamma + 1);
  }

  private static void checkMaxBuckets(int maxBuckets) {
    if (maxBuckets < MIN_BUCKETS || maxBuckets > MAX_BUCKETS_LIMIT) {
      throw new IllegalArgumentException(
          "maxBucketsPerSign must be in [" + MIN_BUCKETS + ", " + MAX_BUCKETS_LIMIT + "]: " + maxBuckets);
    }
  }

  // ---------------------------------------------------------------- recording

  /**
   * Adds one value.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   * @throws ArithmeticException if the count would overflow (the sketch is unchanged)
   */
  public void add(double value) {
    // Hot path kept small so it inlines: a positive finite value and no overflow.
    if (value > zeroThreshold && value < Double.POSITIVE_INFINITY && count != Long.MAX_VALUE) {
      int index = mapping.index(value);
      if (!positive.tryAdd(index, 1)) {
        addSlow(positive, index, 1);
      }
      count++;
      sum += value;
      if (value < min) {
        min = value;
      }
      if (value > max) {
        max = value;
      }
      return;
    }
    addOther(value);
  }

  /** Negatives, zeros, and the failures of {@link #add(double)}. */
  private void addOther(double value) {
    if (count == Long.MAX_VALUE) {
      throw new ArithmeticException("count would overflow");
    }
    if (!(value >= -Double.MAX_VALUE && value <= Double.MAX_VALUE)) {
      throw notFinite(value);
    }
    if (value < -zeroThreshold) {
      int index = mapping.index(-value);
      if (!negative.tryAdd(index, 1)) {
        addSlow(negative, index, 1);
      }
    } else {
      zeroCount++;
      value += 0.0; // -0.0 becomes +0.0, so equal states serialize equally
    }
    count++;
    sum += value;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
  }

  /**
   * Adds {@code value} {@code n} times ({@code n = 0} does nothing).
   *
   * @throws IllegalArgumentException if {@code value} is not finite or {@code n} is negative
   * @throws ArithmeticException if the count would overflow (the sketch is unchanged)
   */
  public void add(double value, long n) {
    if (n <= 0) {
      if (n == 0) {
        return;
      }
      throw new IllegalArgumentException("count must be >= 0: " + n);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw notFinite(value);
    }
    long newCount = Math.addExact(count, n);
    if (value > zeroThreshold) {
      int index = mapping.index(value);
      if (!positive.tryAdd(index, n)) {
        addSlow(positive, index, n);
      }
    } else if (value < -zeroThreshold) {
      int index = mapping.index(-value);
      if (!negative.tryAdd(index, n)) {
        addSlow(negative, index, n);
      }
    } else {
      zeroCount += n;
      value += 0.0;
    }
    count = newCount;
    sum += value * n;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  private static IllegalArgumentException notFinite(double value) {
    return new IllegalArgumentException("value must be finite: " + value);
  }

  /** The out-of-array path: grow the array, downscaling first if the range would pass the limit. */
  private void addSlow(BucketStore store, int index, long n) {
    int lo = index;
    int hi = index;
    int first = store.firstIndex();
    if (first != Integer.MAX_VALUE) {
      lo = Math.min(lo, first);
      hi = Math.max(hi, store.lastIndex());
    }
    int by = 0;
    while (span(lo, hi, by) > maxBuckets) {
      by++;
    }
    if (by > 0) {
      downscaleBy(by);
      index >>= by;
    }
    store.cover(index, index, maxBuckets);
    if (!store.tryAdd(index, n)) {
      throw new AssertionError("bucket store did not cover index " + index);
    }
  }

  private static long span(int lo, int hi, int by) {
    return (long) (hi >> by) - (lo >> by) + 1;
  }

  /**
   * Lowers the scale to {@code newScale} by merging adjacent buckets; exact (no count moves to a
   * bucket that does not contain its value).
   *
   * @throws IllegalArgumentException if {@code newScale} is above the current scale or below -10
   */
  public void downscaleTo(int newScale) {
    if (newScale > scale() || newScale < MIN_SCALE) {
      throw new IllegalArgumentException(
          "can only downscale from " + scale() + " to a scale in [" + MIN_SCALE + ", " + scale() + "]: " + newScale);
    }
    downscaleBy(scale() - newScale);
  }

  private void downscaleBy(int by) {
    if (by == 0) {
      return;
    }
    if (scale() - by < MIN_SCALE) {
      throw new IllegalStateException("cannot downscale below scale " + MIN_SCALE);
    }
    positive.downscale(by);
    negative.downscale(by);
    mapping = BucketMapping.forScale(scale() - by);
  }

  // ---------------------------------------------------------------- merge

  @Override
  public void merge(QuantileSketch other) {
    if (other == this) {
      other = other.copy();
    }
    if (Double.compare(zeroThreshold, other.zeroThreshold) != 0) {
      throw new IllegalArgumentException(
          "cannot merge sketches with different zero thresholds: " + zeroThreshold + " vs " + other.zeroThreshold);
    }
    long newCount = Math.addExact(count, other.count);
    if (other.count == 0) {
      return;
    }
    int target = Math.min(scale(), other.scale());
    int byThis = scale() - target;
    int byOther = other.scale() - target;
    // Each store's non-empty range is scanned once here and reused below.
    int[] p = unionRange(positive, byThis, other.positive, byOther);
    int[] n = unionRange(negative, byThis, other.negative, byOther);
    int extra = 0;
    while ((p != null && span(p[0], p[1], extra) > maxBuckets)
        || (n != null && span(n[0], n[1], extra) > maxBuckets)) {
      extra++;
    }
    if (target - extra < MIN_SCALE) {
      throw new IllegalArgumentException("merged range does not fit " + maxBuckets + " buckets at any scale");
    }
    // Nothing below can fail: all checks are done, so the merge is all-or-nothing.
    downscaleBy(byThis + extra);
    if (p != null) {
      positive.cover(p[0] >> extra, p[1] >> extra, maxBuckets);
      if (p[2] != Integer.MAX_VALUE) {
        positive.addRange(other.positive, byOther + extra, p[2], p[3]);
      }
    }
    if (n != null) {
      negative.cover(n[0] >> extra, n[1] >> extra, maxBuckets);
      if (n[2] != Integer.MAX_VALUE) {
        negative.addRange(other.negative, byOther + extra, n[2], n[3]);
      }
    }
    zeroCount += other.zeroCount;
    count = newCount;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /**
   * {lo, hi} of the union of two stores' non-empty ranges after shifting each down, then {first,
   * last} of {@code b} itself (first = MAX_VALUE when b is empty); null if both are empty.
   */
  private static int[] unionRange(BucketStore a, int byA, BucketStore b, int byB) {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    int fa = a.firstIndex();
    if (fa != Integer.MAX_VALUE) {
      lo = fa >> byA;
      hi = a.lastIndex() >> byA;
    }
    int fb = b.firstIndex();
    int lb = Integer.MIN_VALUE;
    if (fb != Integer.MAX_VALUE) {
      lb = b.lastIndex();
      lo = Math.min(lo, fb >> byB);
      hi = Math.max(hi, lb >> byB);
    }
    return lo == Integer.MAX_VALUE ? null : new int[] {lo, hi, fb, lb};
  }

  // ---------------------------------------------------------------- queries

  /**
   * The value at quantile {@code q} (0 = min, 1 = max), within the relative error of the current
   * scale; NaN when empty.
   *
   * @throws IllegalArgumentException if {@code q} is outside {@code [0, 1]}
   */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
    }
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.floor(q * (count - 1));
    if (rank == 0) {
      return min;
    }
    if (rank >= count - 1) {
      return max;
    }
    double v = valueAtRank(rank);
    return Math.max(min, Math.min(max, v));
  }

  private double valueAtRank(long rank) {
    long seen = 0;
    long[] nc = negative.counts;
    for (int j = nc.length - 1; j >= 0; j--) {
      seen += nc[j];
      if (rank < seen) {
        return -representative(negative.offset + j);
      }
    }
    seen += zeroCount;
    if (rank < seen) {
      return 0.0;
    }
    long[] pc = positive.counts;
    for (int j = 0; j < pc.length; j++) {
      seen += pc[j];
      if (rank < seen) {
        return representative(positive.offset + j);
      }
    }
    return max;
  }

  /** The point of bucket {@code index} equally far, relatively, from both of its bounds. */
  private double representative(int index) {
    double gamma = mapping.baseRatio();
    return mapping.lowerBound(index) * (2 * gamma / (1 + gamma));
  }

  /** Lower bound {@code γ^index} of a bucket at the current scale (exclusive). */
  public double bucketLowerBound(int index) {
    return mapping.lowerBound(index);
  }

  /** Relative error guaranteed at the current scale. */
  public double relativeError() {
    return relativeError(scale());
  }

  public long count() {
    return count;
  }

  /** Exact sum of the values added, up to floating-point rounding; 0 when empty. */
  public double sum() {
    return sum;
  }

  /** Smallest value added; NaN when empty. */
  public double min() {
    return count == 0 ? Double.NaN : min;
  }

  /** Largest value added; NaN when empty. */
  public double max() {
    return count == 0 ? Double.NaN : max;
  }

  /** Mean of the values added; NaN when empty. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  public int scale() {
    return mapping.scale();
  }

  public int maxBucketsPerSign() {
    return maxBuckets;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public long zeroCount() {
    return zeroCount;
  }

  /** Index of the first non-empty positive bucket; 0 when there is none. */
  public int positiveOffset() {
    return offsetOf(positive);
  }

  /** Counts of positive buckets {@code positiveOffset() ..}, first and last non-zero (a copy). */
  public long[] positiveCounts() {
    return countsOf(positive);
  }

  /** Index of the first non-empty negative bucket (buckets hold absolute values); 0 when none. */
  public int negativeOffset() {
    return offsetOf(negative);
  }

  /** Counts of negative buckets {@code negativeOffset() ..} (a copy). */
  public long[] negativeCounts() {
    return countsOf(negative);
  }

  /** Count in positive bucket {@code index} at the current scale. */
  long positiveCount(int index) {
    return positive.count(index);
  }

  /** Count in negative bucket {@code index} (absolute values) at the current scale. */
  long negativeCount(int index) {
    return negative.count(index);
  }

  private static int offsetOf(BucketStore store) {
    int first = store.firstIndex();
    return first == Integer.MAX_VALUE ? 0 : first;
  }

  private static long[] countsOf(BucketStore store) {
    int first = store.firstIndex();
    if (first == Integer.MAX_VALUE) {
      return new long[0];
    }
    return Arrays.copyOfRange(store.counts, first - store.offset, store.lastIndex() - store.offset + 1);
  }

  @Override
  public boolean isEmpty() {
    return count == 0;
  }

  @Override
  public long sizeInBytes() {
    return 72 + positive.sizeInBytes() + negative.sizeInBytes();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public QuantileSketch copy() {
    QuantileSketch c =
        new QuantileSketch(mapping, initialScale, maxBuckets, zeroThreshold, positive.copy(), negative.copy());
    c.zeroCount = zeroCount;
    c.count = count;
    c.sum = sum;
    c.min = min;
    c.max = max;
    return c;
  }

  /**
   * Empties the sketch and returns it to the scale it was created with (so a burst that forced a
   * downscale does not coarsen a recycled window slot for good), keeping limits and bucket arrays.
   */
  @Override
  public void clear() {
    mapping = BucketMapping.forScale(initialScale);
    positive.clear();
    negative.clear();
    zeroCount = 0;
    count = 0;
    sum = 0;
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
  }

  // ---------------------------------------------------------------- OTLP

  /**
   * Builds a sketch from the fields of an OTLP exponential-histogram data point, without loss. The
   * count is derived from the buckets. Leading and trailing zero counts are allowed and dropped.
   * The bucket limit becomes {@code max(2048, widest range)}. When the point carries no min or max,
   * pass NaN and the sketch uses the bound of the outermost non-empty bucket.
   *
   * @throws IllegalArgumentException on a scale outside -10..20, a negative or non-finite zero
   *     threshold, a negative count, buckets outside the range finite doubles can reach, more than
   *     {@value #MAX_BUCKETS_LIMIT} buckets per sign, a NaN sum, or min &gt; max
   * @throws ArithmeticException if the counts add up past {@code Long.MAX_VALUE}
   */
  public static QuantileSketch fromExponentialHistogram(
      int scale,
      double zeroThreshold,
      long zeroCount,
      int positiveOffset,
      long[] positiveCounts,
      int negativeOffset,
      long[] negativeCounts,
      double sum,
      double min,
      double max) {
    BucketMapping mapping = BucketMapping.forScale(scale);
    if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
      throw new IllegalArgumentException("zeroThreshold must be finite and >= 0: " + zeroThreshold);
    }
    if (zeroCount < 0) {
      throw new IllegalArgumentException("zeroCount must be >= 0: " + zeroCount);
    }
    BucketStore pos = storeOf(mapping, positiveOffset, positiveCounts, "positive");
    BucketStore neg = storeOf(mapping, negativeOffset, negativeCounts, "negative");
    int widest = Math.max(pos.counts.length, neg.counts.length);
    long count = Math.addExact(Math.addExact(zeroCount, pos.total()), neg.total());
    QuantileSketch s =
        new QuantileSketch(mapping, Math.max(DEFAULT_MAX_BUCKETS, widest), zeroThreshold + 0.0, pos, neg);
    s.zeroCount = zeroCount;
    s.count = count;
    if (count > 0) {
      if (Double.isNaN(sum)) {
        throw new IllegalArgumentException("sum must not be NaN");
      }
      s.sum = sum;
      s.min = Double.isNaN(min) ? s.lowestBound() : min + 0.0;
      s.max = Double.isNaN(max) ? s.highestBound() : max + 0.0;
      if (!(s.min <= s.max) || Double.isInfinite(s.min) || Double.isInfinite(s.max)) {
        throw new IllegalArgumentException("need finite min <= max: " + min + ", " + max);
      }
    }
    return s;
  }

  private double lowestBound() {
    if (!negative.isEmpty()) {
      return -mapping.lowerBound(negative.lastIndex() + 1);
    }
    if (zeroCount > 0) {
      return -zeroThreshold;
    }
    return mapping.lowerBound(positive.firstIndex());
  }

  private double highestBound() {
    if (!positive.isEmpty()) {
      return mapping.lowerBound(positive.lastIndex() + 1);
    }
    if (zeroCount > 0) {
      return zeroThreshold;
    }
    return -mapping.lowerBound(negative.firstIndex());
  }

  private static BucketStore storeOf(BucketMapping mapping, int offset, long[] counts, String sign) {
    if (counts == null) {
      throw new IllegalArgumentException(sign + " counts are null");
    }
    int first = -1;
    int last = -1;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0) {
        throw new IllegalArgumentException(sign + " count at " + j + " is negative: " + counts[j]);
      }
      if (counts[j] != 0) {
        if (first < 0) {
          first = j;
        }
        last = j;
      }
    }
    BucketStore store = new BucketStore();
    if (first < 0) {
      return store;
    }
    long lo = (long) offset + first;
    long hi = (long) offset + last;
    int minIndex = mapping.index(Double.MIN_VALUE);
    int maxIndex = mapping.index(Double.MAX_VALUE);
    if (lo < minIndex || hi > maxIndex) {
      throw new IllegalArgumentException(
          sign + " buckets [" + lo + ", " + hi + "] lie outside [" + minIndex + ", " + maxIndex
              + "], the range finite doubles reach at scale " + mapping.scale());
    }
    if (hi - lo + 1 > MAX_BUCKETS_LIMIT) {
      throw new IllegalArgumentException(sign + " buckets span more than " + MAX_BUCKETS_LIMIT);
    }
    store.counts = Arrays.copyOfRange(counts, first, last + 1);
    store.offset = (int) lo;
    return store;
  }

  // ---------------------------------------------------------------- binary format

  @Override
  public byte[] toBytes() {
    ByteWriter w = new ByteWriter(64 + 3 * (positive.counts.length + negative.counts.length));
    w.writeByte(FORMAT_VERSION).writeByte(KIND).writeByte(scale()).writeInt(maxBuckets);
    w.writeDouble(zeroThreshold).writeDouble(sum).writeDouble(min).writeDouble(max);
    w.writeVarLong(zeroCount);
    writeStore(w, positive);
    writeStore(w, negative);
    return w.toByteArray();
  }

  private static void writeStore(ByteWriter w, BucketStore store) {
    int first = store.firstIndex();
    if (first == Integer.MAX_VALUE) {
      w.writeInt(0).writeVarLong(0);
      return;
    }
    int last = store.lastIndex();
    w.writeInt(first).writeVarLong(last - first + 1);
    for (int i = first; i <= last; i++) {
      w.writeVarLong(store.counts[i - store.offset]);
    }
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws SketchFormatException for anything else; allocates at most {@code 8 * bytes.length}
   *     bytes of bucket arrays
   */
  public static QuantileSketch fromBytes(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "QuantileSketch");
    int version = r.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw r.fail("unsupported format version " + version + " (this library reads " + FORMAT_VERSION + ")");
    }
    int kind = r.readUnsignedByte();
    if (kind != KIND) {
      throw r.fail("not a quantile sketch (kind byte " + kind + ")");
    }
    int scale = r.readByte();
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      throw r.fail("scale " + scale + " outside [" + MIN_SCALE + ", " + MAX_SCALE + "]");
    }
    int maxBuckets = r.readInt();
    if (maxBuckets < MIN_BUCKETS || maxBuckets > MAX_BUCKETS_LIMIT) {
      throw r.fail("maxBucketsPerSign " + maxBuckets + " outside [" + MIN_BUCKETS + ", " + MAX_BUCKETS_LIMIT + "]");
    }
    double zeroThreshold = r.readDouble();
    if (!(Double.compare(zeroThreshold, 0.0) >= 0) || Double.isInfinite(zeroThreshold)) {
      throw r.fail("zeroThreshold must be finite and >= +0.0: " + zeroThreshold);
    }
    double sum = r.readDouble();
    double min = r.readDouble();
    double max = r.readDouble();
    long zeroCount = r.readVarLong();
    BucketMapping mapping = BucketMapping.forScale(scale);
    BucketStore pos = readStore(r, mapping, maxBuckets, "positive", "positive buckets");
    BucketStore neg = readStore(r, mapping, maxBuckets, "negative", "negative buckets");
    r.expectEnd();
    long count;
    try {
      count = Math.addExact(Math.addExact(zeroCount, pos.total()), neg.total());
    } catch (ArithmeticException e) {
      throw r.fail("counts add up past Long.MAX_VALUE");
    }
    if (count == 0) {
      if (Double.doubleToRawLongBits(sum) != 0L || min != Double.POSITIVE_INFINITY || max != Double.NEGATIVE_INFINITY) {
        throw r.fail("an empty sketch must have sum 0, min +Infinity and max -Infinity");
      }
    } else if (Double.isNaN(sum) || !(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)
        || Double.doubleToRawLongBits(min) == Long.MIN_VALUE || Double.doubleToRawLongBits(max) == Long.MIN_VALUE) {
      throw r.fail("need a non-NaN sum and finite min <= max (no -0.0): " + sum + ", " + min + ", " + max);
    }
    QuantileSketch s = new QuantileSketch(mapping, maxBuckets, zeroThreshold, pos, neg);
    s.zeroCount = zeroCount;
    s.count = count;
    s.sum = sum;
    s.min = min;
    s.max = max;
    return s;
  }

  /** {@code field} is "{@code sign} buckets", passed as a constant: building it here cost a string per decode. */
  private static BucketStore readStore(ByteReader r, BucketMapping mapping, int maxBuckets, String sign, String field) {
    int offset = r.readInt();
    int n = r.readLength(field, maxBuckets, 1);
    BucketStore store = new BucketStore();
    if (n == 0) {
      if (offset != 0) {
        throw r.fail(sign + " offset must be 0 when there are no buckets");
      }
      return store;
    }
    long last = (long) offset + n - 1;
    if (offset < mapping.index(Double.MIN_VALUE) || last > mapping.index(Double.MAX_VALUE)) {
      throw r.fail(sign + " buckets [" + offset + ", " + last + "] outside the range of finite doubles");
    }
    long[] counts = new long[n];
    for (int j = 0; j < n; j++) {
      counts[j] = r.readVarLong();
    }
    if (counts[0] == 0 || counts[n - 1] == 0) {
      throw r.fail(sign + " buckets must start and end with a non-zero count");
    }
    store.counts = counts;
    store.offset = offset;
    return store;
  }

  @Override
  public String toString() {
    return "QuantileSketch{count=" + count + ", scale=" + scale() + ", min=" + min() + ", p50="
        + quantile(0.5) + ", max=" + max() + "}";
  }
}
