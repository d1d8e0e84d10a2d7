package dev.sketchtrace.sketch;

import java.util.Arrays;

/**
 * Not thread-safe: a HyperLogLog distinct-count sketch (Flajolet, Fusy, Gandouet, Meunier 2007)
 * over 64-bit hashes, one byte per register.
 *
 * <p>With {@code m = 2^precision} registers the relative standard error is {@code 1.04 / sqrt(m)}:
 * 0.81 % at the default precision 14 (16 KiB), so 10 million distinct values are estimated within
 * ±0.81 % about two times in three and within ±2.4 % almost always. Small cardinalities use linear
 * counting (the small-range correction, when the raw estimate is below {@code 2.5 m} and some
 * register is still zero); the large-range correction {@code -2^64 ln(1 - E / 2^64)} applies to
 * the 64-bit hash space. Known limit of the classic estimator: just above {@code 2.5 m} (about
 * 41 000 at precision 14) its bias is around one standard error.
 *
 * <p>{@link #merge} takes the register-wise maximum, so merging shards gives exactly the sketch of
 * the union. It needs equal precision and throws {@link IllegalArgumentException} otherwise.
 *
 * <h2>Binary format, version 1</h2>
 * <pre>
 * | bytes | field                                     |
 * |-------|-------------------------------------------|
 * | 1     | format version = 1                        |
 * | 1     | kind = 0x48 ('H')                         |
 * | 1     | precision p, 4..18                        |
 * | 2^p   | registers, each 0..(65 - p)               |
 * </pre>
 */
public final class HyperLogLog implements MergeableSketch<HyperLogLog> {
  public static final int MIN_PRECISION = 4;
  public static final int MAX_PRECISION = 18;
  public static final int DEFAULT_PRECISION = 14;
  static final int FORMAT_VERSION = 1;
  static final int KIND = 0x48;
  private static final long SEED = 0;
  /** {@code 2^-r} for every possible register value r. */
  private static final double[] INVERSE_POWERS = new double[66];

  static {
    for (int r = 0; r < INVERSE_POWERS.length; r++) {
      INVERSE_POWERS[r] = Math.scalb(1.0, -r);
    }
  }

  private final int precision;
  private final byte[] registers;

  /** A sketch with {@code 2^precision} registers; precision in 4..18. */
  public HyperLogLog(int precision) {
    if (precision < MIN_PRECISION || precision > MAX_PRECISION) {
      throw new IllegalArgumentException(
          "precision must be in [" + MIN_PRECISION + ", " + MAX_PRECISION + "]: " + precision);
    }
    this.precision = precision;
    this.registers = new byte[1 << precision];
  }

  private HyperLogLog(int precision, byte[] registers) {
    this.precision = precision;
    this.registers = registers;
  }

  /** Precision 14: 16 384 registers, 0.81 % standard error. */
  public static HyperLogLog create() {
    return new HyperLogLog(DEFAULT_PRECISION);
  }

  /** Adds an already well-mixed 64-bit hash (use {@link #addString} or {@link #addLong} otherwise). */
  public void add(long hash64) {
    int index = (int) (hash64 >>> (64 - precision));
    // The guard bit caps the rank at 65 - p when the remaining bits are all zero.
    long rest = (hash64 << precision) | (1L << (precision - 1));
    byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
    if (rank > registers[index]) {
      registers[index] = rank;
    }
  }

  /** Adds a string, hashed with {@link XxHash64#hashChars} (seed 0). */
  public void addString(CharSequence s) {
    add(XxHash64.hashChars(s, SEED));
  }

  /** Adds a long value (an id), mixed with {@link XxHash64#mix} first. */
  public void addLong(long value) {
    add(XxHash64.mix(value));
  }

  /** Estimated number of distinct hashes added. */
  public double estimate() {
    int m = registers.length;
    // Four independent partial sums (m is a multiple of 16), so the floating-point additions
    // pipeline instead of forming one long dependency chain.
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int zeros = 0;
    for (int i = 0; i < m; i += 4) {
      byte r0 = registers[i];
      byte r1 = registers[i + 1];
      byte r2 = registers[i + 2];
      byte r3 = registers[i + 3];
      s0 += INVERSE_POWERS[r0];
      s1 += INVERSE_POWERS[r1];
      s2 += INVERSE_POWERS[r2];
      s3 += INVERSE_POWERS[r3];
      zeros += (r0 == 0 ? 1 : 0) + (r1 == 0 ? 1 : 0) + (r2 == 0 ? 1 : 0) + (r3 == 0 ? 1 : 0);
    }
    double sum = (s0 + s1) + (s2 + s3);
    double estimate = alpha(m) * m * (double) m / sum;
    if (estimate <= 2.5 * m) {
      return zeros == 0 ? estimate : m * Math.log((double) m / zeros);
    }
    double twoTo64 = 0x1p64;
    if (estimate > twoTo64 / 30) {
      return -twoTo64 * Math.log1p(-estimate / twoTo64);
    }
    return estimate;
  }

  private static double alpha(int m) {
    switch (m) {
      case 16:
        return 0.673;
      case 32:
        return 0.697;
      case 64:
        return 0.709;
      default:
        return 0.7213 / (1 + 1.079 / m);
    }
  }

  /** Relative standard error {@code 1.04 / sqrt(2^precision)}. */
  public double standardError() {
    return 1.04 / Math.sqrt(registers.length);
  }

  public int precision() {
    return precision;
  }

  @Override
  public void merge(HyperLogLog other) {
    if (other.precision != precision) {
      throw new IllegalArgumentException(
          "cannot merge HyperLogLog of precision " + other.precision + " into precision " + precision);
    }
    byte[] o = other.registers;
    for (int i = 0; i < registers.length; i++) {
      if (o[i] > registers[i]) {
        registers[i] = o[i];
      }
    }
  }

  @Override
  public HyperLogLog copy() {
    return new HyperLogLog(precision, registers.clone());
  }

  @Override
  public void clear() {
    Arrays.fill(registers, (byte) 0);
  }

  @Override
  public boolean isEmpty() {
    for (byte r : registers) {
      if (r != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long sizeInBytes() {
    return 24 + 16 + registers.length;
  }

  @Override
  public byte[] toBytes() {
    byte[] out = new byte[3 + registers.length];
    out[0] = FORMAT_VERSION;
    out[1] = KIND;
    out[2] = (byte) precision;
    System.arraycopy(registers, 0, out, 3, registers.length);
    return out;
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws SketchFormatException on any other input; allocates at most {@code 2^18} bytes
   */
  public static HyperLogLog fromBytes(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "HyperLogLog");
    int version = r.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw r.fail("unsupported format version " + version + " (this library reads " + FORMAT_VERSION + ")");
    }
    int kind = r.readUnsignedByte();
    if (kind != KIND) {
      throw r.fail("not a HyperLogLog (kind byte " + kind + ")");
    }
    int p = r.readUnsignedByte();
    if (p < MIN_PRECISION || p > MAX_PRECISION) {
      throw r.fail("precision " + p + " outside [" + MIN_PRECISION + ", " + MAX_PRECISION + "]");
    }
    int m = 1 << p;
    if (r.remaining() != m) {
      throw r.fail("expected " + m + " register bytes, found " + r.remaining());
    }
    byte[] registers = new byte[m];
    for (int i = 0; i < m; i++) {
      int v = r.readByte();
      if (v < 0 || v > 65 - p) {
        throw r.fail("register " + i + " holds " + v + ", outside [0, " + (65 - p) + "]");
      }
      registers[i] = (byte) v;
    }
    return new HyperLogLog(p, registers);
  }

  @Override
  public String toString() {
    return "HyperLogLog{precision=" + precision + ", estimate=" + Math.round(estimate()) + "}";
  }
}
