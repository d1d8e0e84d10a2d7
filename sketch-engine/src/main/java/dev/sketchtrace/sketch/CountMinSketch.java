package dev.sketchtrace.sketch;

/**
 * Not thread-safe: a Count-Min sketch (Cormode and Muthukrishnan 2005) of non-negative weights per
 * key, optionally with conservative update (Estan and Varghese 2002).
 *
 * <p>Guarantee: with {@code width = ceil(e / ε)} and {@code depth = ceil(ln(1 / δ))}, an estimate is
 * never below the true total weight of its key and, with probability at least {@code 1 - δ}, at most
 * {@code ε · N} above it, {@code N} being {@link #totalWeight()}. Example: ε = 0.001 and δ = 0.01
 * give 2719 × 5 counters (106 KiB); after 1 000 000 calls a route estimated at 12 000 really had
 * between 11 000 and 12 000.
 *
 * <p>Conservative update raises only the counters that are below the new estimate; it keeps the
 * guarantee and cuts the over-estimate sharply on skewed streams. Its state depends on the order of
 * additions, so only the plain mode has the "merge of shards equals sketch of the union" law; in
 * both modes {@link #merge} adds counters, which keeps every estimate an upper bound within
 * {@code ε · N}. Merging needs equal width, depth and mode ({@link IllegalArgumentException}), and
 * throws {@link ArithmeticException} if the total weight would overflow; either way it changes
 * nothing. No counter can overflow while the total does not, as each is at most the total.
 *
 * <p>Keys are hashed with {@link XxHash64#hashChars} (seed 0); row {@code i} uses
 * {@code h1 + i·h2} (Kirsch–Mitzenmacher), mapped onto the width by a multiply-shift.
 *
 * <h2>Binary format, version 1</h2>
 * <pre>
 * | bytes   | field                                               |
 * |---------|-----------------------------------------------------|
 * | 1       | format version = 1                                  |
 * | 1       | kind = 0x43 ('C')                                   |
 * | 4       | width, 1..2^20                                      |
 * | 1       | depth, 1..16                                        |
 * | 1       | mode: 0 plain, 1 conservative                       |
 * | var     | total weight N                                      |
 * | var×w·d | counters, row by row; each &le; N, each row sums to |
 * |         | N (plain) or at most N (conservative)               |
 * </pre>
 */
public final class CountMinSketch implements MergeableSketch<CountMinSketch> {
  public static final int MAX_WIDTH = 1 << 20;
  public static final int MAX_DEPTH = 16;
  static final int FORMAT_VERSION = 1;
  static final int KIND = 0x43;
  private static final long SEED = 0;

  private final int width;
  private final int depth;
  private final boolean conservative;
  private final long[] counters;
  private final int[] rowIndex;
  private long totalWeight;

  private CountMinSketch(int width, int depth, boolean conservative, long[] counters) {
    this.width = width;
    this.depth = depth;
    this.conservative = conservative;
    this.counters = counters;
    this.rowIndex = new int[depth];
  }

  /** A conservative-update sketch sized for error {@code ε · N} with probability {@code 1 - δ}. */
  public static CountMinSketch create(double epsilon, double delta) {
    return withDimensions(widthFor(epsilon), depthFor(delta), true);
  }

  /** A sketch of explicit size; {@code conservative} selects the update rule. */
  public static CountMinSketch withDimensions(int width, int depth, boolean conservative) {
    if (width < 1 || width > MAX_WIDTH) {
      throw new IllegalArgumentException("width must be in [1, " + MAX_WIDTH + "]: " + width);
    }
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("depth must be in [1, " + MAX_DEPTH + "]: " + depth);
    }
    return new CountMinSketch(width, depth, conservative, new long[width * depth]);
  }

  static int widthFor(double epsilon) {
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1): " + epsilon);
    }
    double w = Math.ceil(Math.E / epsilon);
    if (w > MAX_WIDTH) {
      throw new IllegalArgumentException("epsilon " + epsilon + " needs width " + w + " > " + MAX_WIDTH);
    }
    return (int) w;
  }

  static int depthFor(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1): " + delta);
    }
    return (int) Math.max(1, Math.min(MAX_DEPTH, Math.ceil(Math.log(1 / delta))));
  }

  /** Adds {@code weight} (&ge; 0) to {@code key}; returns the key's new estimate. */
  public long add(CharSequence key, long weight) {
    return addHash(XxHash64.hashChars(key, SEED), weight);
  }

  /** The estimated total weight of {@code key}: never below the truth. */
  public long estimate(CharSequence key) {
    return estimateHash(XxHash64.hashChars(key, SEED));
  }

  /**
   * Adds {@code weight} to the key whose {@link XxHash64#hashChars} is {@code hash}.
   *
   * @throws IllegalArgumentException if {@code weight} is negative
   * @throws ArithmeticException if the total weight would overflow (nothing changes)
   */
  long addHash(long hash, long weight) {
    if (weight < 0) {
      throw new IllegalArgumentException("weight must be >= 0: " + weight);
    }
    long newTotal = Math.addExact(totalWeight, weight);
    locate(hash);
    long estimate;
    if (conservative) {
      long min = Long.MAX_VALUE;
      for (int i = 0; i < depth; i++) {
        min = Math.min(min, counters[rowIndex[i]]);
      }
      estimate = min + weight;
      for (int i = 0; i < depth; i++) {
        if (counters[rowIndex[i]] < estimate) {
          counters[rowIndex[i]] = estimate;
        }
      }
    } else {
      estimate = Long.MAX_VALUE;
      for (int i = 0; i < depth; i++) {
        estimate = Math.min(estimate, counters[rowIndex[i]] += weight);
      }
    }
    totalWeight = newTotal;
    return estimate;
  }

  long estimateHash(long hash) {
    locate(hash);
    long min = Long.MAX_VALUE;
    for (int i = 0; i < depth; i++) {
      min = Math.min(min, counters[rowIndex[i]]);
    }
    return min;
  }

  private void locate(long hash) {
    long h2 = XxHash64.mix(hash) | 1;
    long g = hash;
    for (int i = 0; i < depth; i++) {
      rowIndex[i] = i * width + (int) (((g >>> 32) * width) >>> 32);
      g += h2;
    }
  }

  public long totalWeight() {
    return totalWeight;
  }

  /** The ε actually achieved, {@code e / width}. */
  public double epsilon() {
    return Math.E / width;
  }

  /** The δ actually achieved, {@code e^-depth}. */
  public double delta() {
    return Math.exp(-depth);
  }

  /** The additive bound {@code ceil(ε · N)}: estimate − bound &le; true weight &le; estimate. */
  public long errorBound() {
    return (long) Math.ceil(epsilon() * totalWeight);
  }

  public int width() {
    return width;
  }

  public int depth() {
    return depth;
  }

  public boolean isConservative() {
    return conservative;
  }

  /** True when {@code other} has the same width, depth and update mode. */
  public boolean isCompatible(CountMinSketch other) {
    return width == other.width && depth == other.depth && conservative == other.conservative;
  }

  void checkMergeable(CountMinSketch other) {
    if (!isCompatible(other)) {
      throw new IllegalArgumentException("cannot merge Count-Min " + other.width + "x" + other.depth
          + (other.conservative ? " conservative" : " plain") + " into " + width + "x" + depth
          + (conservative ? " conservative" : " plain"));
    }
    Math.addExact(totalWeight, other.totalWeight);
  }

  @Override
  public void merge(CountMinSketch other) {
    checkMergeable(other);
    long[] o = other.counters;
    for (int i = 0; i < counters.length; i++) {
      counters[i] += o[i];
    }
    totalWeight += other.totalWeight;
  }

  @Override
  public CountMinSketch copy() {
    CountMinSketch c = new CountMinSketch(width, depth, conservative, counters.clone());
    c.totalWeight = totalWeight;
    return c;
  }

  @Override
  public void clear() {
    java.util.Arrays.fill(counters, 0L);
    totalWeight = 0;
  }

  @Override
  public boolean isEmpty() {
    return totalWeight == 0;
  }

  @Override
  public long sizeInBytes() {
    return 40 + 16 + 8L * counters.length + 16 + 4L * depth;
  }

  @Override
  public byte[] toBytes() {
    ByteWriter w = new ByteWriter(16 + counters.length);
    writeTo(w);
    return w.toByteArray();
  }

  void writeTo(ByteWriter w) {
    w.writeByte(FORMAT_VERSION).writeByte(KIND).writeInt(width).writeByte(depth).writeByte(conservative ? 1 : 0);
    w.writeVarLong(totalWeight);
    for (long c : counters) {
      w.writeVarLong(c);
    }
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws SketchFormatException on any other input; allocates at most {@code 8 * bytes.length}
   *     bytes of counters
   */
  public static CountMinSketch fromBytes(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "CountMinSketch");
    CountMinSketch s = readFrom(r);
    r.expectEnd();
    return s;
  }

  static CountMinSketch readFrom(ByteReader r) {
    int version = r.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw r.fail("unsupported format version " + version + " (this library reads " + FORMAT_VERSION + ")");
    }
    int kind = r.readUnsignedByte();
    if (kind != KIND) {
      throw r.fail("not a Count-Min sketch (kind byte " + kind + ")");
    }
    int width = r.readInt();
    int depth = r.readUnsignedByte();
    int mode = r.readUnsignedByte();
    if (width < 1 || width > MAX_WIDTH || depth < 1 || depth > MAX_DEPTH || mode > 1) {
      throw r.fail("width " + width + ", depth " + depth + " or mode " + mode + " out of range");
    }
    long total = r.readVarLong();
    long cells = (long) width * depth;
    if (cells > r.remaining()) {
      throw r.fail(cells + " counters cannot fit in the remaining " + r.remaining() + " bytes");
    }
    long[] counters = new long[(int) cells];
    for (int row = 0; row < depth; row++) {
      long rowSum = 0;
      for (int j = 0; j < width; j++) {
        long c = r.readVarLong();
        if (c > total) {
          throw r.fail("counter " + c + " exceeds the total weight " + total);
        }
        rowSum += c;
        if (rowSum > total || rowSum < 0) {
          throw r.fail("row " + row + " sums past the total weight " + total);
        }
        counters[row * width + j] = c;
      }
      if (mode == 0 && rowSum != total) {
        throw r.fail("row " + row + " of a plain sketch sums to " + rowSum + ", not " + total);
      }
    }
    CountMinSketch s = new CountMinSketch(width, depth, mode == 1, counters);
    s.totalWeight = total;
    return s;
  }
}
