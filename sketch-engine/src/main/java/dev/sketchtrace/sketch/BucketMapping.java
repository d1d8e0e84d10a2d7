package dev.sketchtrace.sketch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Immutable and thread-safe: maps a positive finite double to its OTLP exponential-histogram bucket
 * index at one scale, exactly as the specification defines it.
 *
 * <p>The specification says: at scale {@code s} the base is {@code 2^(2^-s)} and bucket {@code i}
 * holds {@code (base^i, base^(i+1)]}, so {@code index = ceil(log_base(v)) - 1} and an exact power of
 * the base belongs to the lower bucket. Evaluating that with {@code Math.log} misplaces values that
 * sit next to a boundary (powers of two included), so this class never does. Writing
 * {@code v = 2^e * f} with {@code f} in {@code [1, 2)}:
 *
 * <ul>
 *   <li>scale &le; 0: the index at scale 0 is {@code e} (or {@code e - 1} when {@code f == 1}), and
 *       each step down halves it with a floor shift;
 *   <li>scale 1..{@value #TABLE_MAX_SCALE}: {@code index = e * 2^s - 1 + k}, where {@code k} counts
 *       the boundaries {@code 2^(j / 2^s)}, {@code j = 0..2^s-1}, lying strictly below {@code f}.
 *       Each boundary is first computed as the smallest 52-bit mantissa whose value exceeds it,
 *       with {@link BigDecimal} at 60 digits. The mantissa range is cut into {@code 2^(s+1)}
 *       slices by its top bits; slices are narrower than the gap between two boundaries, so each
 *       holds at most one. One packed {@code long} per slice stores the count at the slice start and
 *       where in the slice the next boundary falls: one load and one comparison per value;
 *   <li>scale above {@value #TABLE_MAX_SCALE} (tables would cost megabytes): {@code Math.log} gives
 *       the position to within 2^-30 of a bucket; only when it lands within 2^-24 of a boundary is
 *       that boundary computed exactly, which happens for about one value in eight million.
 * </ul>
 *
 * Subnormals are normalized first. The indices produced lie in {@code [indexOf(Double.MIN_VALUE),
 * indexOf(Double.MAX_VALUE)]}, which at scale 20 is about {@code ±1.13e9}, so they fit an int.
 */
final class BucketMapping {
  static final int MIN_SCALE = -10;
  static final int MAX_SCALE = 20;
  static final int TABLE_MAX_SCALE = 12;

  private static final long MANTISSA_MASK = (1L << 52) - 1;
  private static final double AMBIGUOUS = 0x1p-24;
  private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
  private static final BigDecimal TWO_POW_52 = new BigDecimal(BigInteger.ONE.shiftLeft(52));

  private static final BucketMapping[] CACHE = new BucketMapping[MAX_SCALE - MIN_SCALE + 1];

  private final int scale;
  /**
   * One entry per slice of the top s+1 mantissa bits: the low 13 bits hold {@code k}, the number of
   * boundaries at or below the slice start; the bits above hold how far into the slice the next
   * boundary's first mantissa lies (the slice width when it lies beyond). One load and one
   * comparison then give the count for any mantissa in the slice.
   */
  private final long[] slices;
  private final int sliceShift;
  private final long sliceMask;
  private final double logFactor;
  private final double baseRatio;
  /** 2^(1/2^s) at 60 digits, for the rare exact check above the table scales. */
  private final BigDecimal root;

  private BucketMapping(int scale) {
    this.scale = scale;
    this.logFactor = Math.scalb(1.0, scale) / Math.log(2.0);
    this.baseRatio = Math.pow(2.0, Math.scalb(1.0, -scale));
    if (scale > 0) {
      this.root = rootOfTwo(scale);
    } else {
      this.root = null;
    }
    if (scale > 0 && scale <= TABLE_MAX_SCALE) {
      int n = 1 << scale;
      long[] boundaries = new long[n + 1];
      BigDecimal b = BigDecimal.ONE;
      for (int k = 0; k < n; k++) {
        boundaries[k] = k == 0 ? 1L : firstMantissaAbove(b);
        b = b.multiply(root, MC);
      }
      boundaries[n] = Long.MAX_VALUE;
      sliceShift = 52 - (scale + 1);
      sliceMask = (1L << sliceShift) - 1;
      slices = new long[1 << (scale + 1)];
      int k = 0;
      for (int t = 0; t < slices.length; t++) {
        long start = (long) t << sliceShift;
        while (boundaries[k] <= start) {
          k++;
        }
        long width = 1L << sliceShift;
        if (k < n && boundaries[k + 1] < start + width) {
          throw new AssertionError("two boundaries in one slice at scale " + scale);
        }
        long into = k < n ? Math.min(boundaries[k] - start, width) : width;
        slices[t] = (into << 13) | k;
      }
    } else {
      slices = null;
      sliceShift = 0;
      sliceMask = 0;
    }
  }

  /** The mapping for {@code scale}; tables are built on first use and shared. */
  static BucketMapping forScale(int scale) {
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      throw new IllegalArgumentException(
          "scale must be in [" + MIN_SCALE + ", " + MAX_SCALE + "]: " + scale);
    }
    BucketMapping m = CACHE[scale - MIN_SCALE];
    if (m == null) {
      // Benign race: two threads may both build the same immutable table; either copy is correct
      // and all fields are final, so publication through the array is safe.
      m = new BucketMapping(scale);
      CACHE[scale - MIN_SCALE] = m;
    }
    return m;
  }

  int scale() {
    return scale;
  }

  /** Bucket index of {@code value}, which must be positive and finite (not checked here). */
  int index(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int exp = (int) (bits >>> 52);
    long mantissa = bits & MANTISSA_MASK;
    if (exp == 0) {
      int shift = Long.numberOfLeadingZeros(mantissa) - 11;
      mantissa = (mantissa << shift) & MANTISSA_MASK;
      exp = 1 - shift;
    }
    int e = exp - 1023;
    if (slices != null) {
      long slice = slices[(int) (mantissa >>> sliceShift)];
      int k = (int) (slice & 0x1FFF) + ((mantissa & sliceMask) >= (slice >>> 13) ? 1 : 0);
      return (e << scale) - 1 + k;
    }
    if (scale <= 0) {
      return (mantissa == 0 ? e - 1 : e) >> -scale;
    }
    return (e << scale) - 1 + countAboveByLog(mantissa);
  }

  private int countAboveByLog(long mantissa) {
    if (mantissa == 0) {
      return 0;
    }
    double f = Double.longBitsToDouble(mantissa | 0x3FF0000000000000L);
    double x = Math.log(f) * logFactor;
    double floor = Math.floor(x);
    double frac = x - floor;
    if (frac > AMBIGUOUS && frac < 1 - AMBIGUOUS) {
      return (int) floor + 1;
    }
    int candidate = (int) Math.rint(x);
    return mantissa >= exactBoundary(candidate) ? candidate + 1 : candidate;
  }

  /** Smallest mantissa whose value exceeds boundary {@code k} (0 &le; k &le; 2^scale). */
  private long exactBoundary(int k) {
    if (k <= 0) {
      return 1L;
    }
    if (k >= (1 << scale)) {
      return 1L << 52;
    }
    return firstMantissaAbove(root.pow(k, MC));
  }

  /** Lower bound {@code base^index} of a bucket, to double precision. */
  double lowerBound(int index) {
    return Math.pow(2.0, Math.scalb((double) index, -scale));
  }

  /** {@code base}, the ratio of a bucket's upper to its lower bound. */
  double baseRatio() {
    return baseRatio;
  }

  /**
   * For an irrational boundary {@code b} in (1, 2) known to 60 digits: the smallest m with
   * {@code 1 + m/2^52 > b}. Fails loudly if 60 digits could not decide, which for numbers of this
   * kind does not happen in practice.
   */
  private static long firstMantissaAbove(BigDecimal b) {
    BigDecimal scaled = b.multiply(TWO_POW_52, MC);
    BigDecimal floor = scaled.setScale(0, RoundingMode.FLOOR);
    BigDecimal frac = scaled.subtract(floor);
    if (frac.compareTo(new BigDecimal("1e-30")) < 0
        || frac.compareTo(BigDecimal.ONE.subtract(new BigDecimal("1e-30"))) > 0) {
      throw new AssertionError("boundary too close to a double to decide at 60 digits: " + b);
    }
    return floor.longValueExact() - (1L << 52) + 1;
  }

  private static BigDecimal rootOfTwo(int scale) {
    BigDecimal r = BigDecimal.valueOf(2);
    for (int i = 0; i < scale; i++) {
      r = r.sqrt(MC);
    }
    return r;
  }
}
