package dev.sketchtrace.sketch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not thread-safe: the {@code k} heaviest keys of a weighted stream ("which SQL statements take the
 * most time"), as a conservative-update {@link CountMinSketch} plus a list of at most {@code k}
 * exact keys.
 *
 * <p>Every key added updates the sketch; a key joins the list when the list has room or when its
 * estimate beats the lightest listed key, which it then evicts. {@link #top()} re-reads every
 * listed key from the sketch, so each {@link HeavyHitter} carries a current estimate (never below
 * the truth) and the bound {@code ε · N} of its over-estimate. A key heavier than
 * {@code ε · N + (the k-th heaviest weight)} cannot be missing.
 *
 * <p>Memory is bounded: keys longer than {@value #MAX_KEY_LENGTH} chars are cut to that length (a
 * trailing high surrogate is dropped too, so a cut never splits a code point), and the list holds
 * at most {@code k} ≤ {@value #MAX_K} keys.
 *
 * <p>{@link #merge} adds the sketches and keeps the {@code k} heaviest of both lists, re-estimated
 * from the merged sketch (ties broken by key, so the result does not depend on merge order). It
 * needs equal ε, δ and k ({@link IllegalArgumentException}) and throws {@link ArithmeticException}
 * if the total weight would overflow; either way it changes nothing.
 *
 * <h2>Binary format, version 1</h2>
 * <pre>
 * | bytes | field                                                         |
 * |-------|---------------------------------------------------------------|
 * | 1     | format version = 1                                            |
 * | 1     | kind = 0x54 ('T')                                             |
 * | var   | k, 1..10000                                                   |
 * | …     | the Count-Min sketch, in its own format (which see)           |
 * | var   | number of listed keys n, &le; k                               |
 * | n × … | each key: var length L &le; 256, then L UTF-16 code units     |
 * |       | (2 bytes each, big-endian); keys in ascending String order    |
 * </pre>
 */
public final class TopK implements MergeableSketch<TopK> {
  public static final int MAX_KEY_LENGTH = 256;
  public static final int MAX_K = 10_000;
  static final int FORMAT_VERSION = 1;
  static final int KIND = 0x54;

  private static final Comparator<HeavyHitter> HEAVIEST_FIRST =
      Comparator.comparingLong(HeavyHitter::estimate).reversed().thenComparing(HeavyHitter::key);

  private final CountMinSketch sketch;
  private final int k;
  /** Listed key → hash. */
  private final Map<String, Long> listed = new HashMap<>();
  /** A lower bound of the lightest listed estimate while the list is full. */
  private long floor;

  private TopK(CountMinSketch sketch, int k) {
    this.sketch = sketch;
    this.k = k;
  }

  /** Tracks the {@code k} heaviest keys with a sketch of error {@code ε · N} at confidence {@code 1 − δ}. */
  public static TopK create(double epsilon, double delta, int k) {
    checkK(k);
    return new TopK(CountMinSketch.create(epsilon, delta), k);
  }

  private static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "]: " + k);
    }
  }

  /**
   * Adds {@code weight} (&ge; 0) to {@code key}, cut to {@value #MAX_KEY_LENGTH} chars.
   *
   * @throws IllegalArgumentException if {@code weight} is negative
   * @throws ArithmeticException if the total weight would overflow (nothing changes)
   */
  public void add(String key, long weight) {
    key = truncate(key);
    long hash = XxHash64.hashChars(key, 0);
    long estimate = sketch.addHash(hash, weight);
    if (listed.containsKey(key)) {
      return;
    }
    if (listed.size() < k) {
      listed.put(key, hash);
      return;
    }
    if (estimate > floor) {
      offer(key, hash, estimate);
    }
  }

  /** Evicts the lightest listed key if {@code estimate} beats it; otherwise raises the floor. */
  private void offer(String key, long hash, long estimate) {
    String lightest = null;
    long lightestEstimate = Long.MAX_VALUE;
    for (Map.Entry<String, Long> e : listed.entrySet()) {
      long est = sketch.estimateHash(e.getValue());
      if (lightest == null || est < lightestEstimate
          || (est == lightestEstimate && e.getKey().compareTo(lightest) > 0)) {
        lightest = e.getKey();
        lightestEstimate = est;
      }
    }
    if (estimate > lightestEstimate) {
      listed.remove(lightest);
      listed.put(key, hash);
      floor = Math.min(lightestEstimate, estimate);
    } else {
      floor = lightestEstimate;
    }
  }

  /** {@code key} cut to at most {@value #MAX_KEY_LENGTH} chars without splitting a surrogate pair. */
  public static String truncate(String key) {
    if (key.length() <= MAX_KEY_LENGTH) {
      return key;
    }
    int end = MAX_KEY_LENGTH;
    if (Character.isHighSurrogate(key.charAt(end - 1))) {
      end--;
    }
    return key.substring(0, end);
  }

  /** The listed keys, heaviest first (ties by key), with current estimates and the error bound. */
  public List<HeavyHitter> top() {
    long bound = sketch.errorBound();
    List<HeavyHitter> out = new ArrayList<>(listed.size());
    for (Map.Entry<String, Long> e : listed.entrySet()) {
      out.add(new HeavyHitter(e.getKey(), sketch.estimateHash(e.getValue()), bound));
    }
    out.sort(HEAVIEST_FIRST);
    return out;
  }

  /** Estimate for any key (listed or not); never below its true weight. */
  public long estimate(String key) {
    return sketch.estimate(truncate(key));
  }

  public long totalWeight() {
    return sketch.totalWeight();
  }

  public int k() {
    return k;
  }

  /** The additive error bound {@code ceil(ε · N)} carried by every estimate. */
  public long errorBound() {
    return sketch.errorBound();
  }

  @Override
  public void merge(TopK other) {
    if (other.k != k) {
      throw new IllegalArgumentException("cannot merge top-" + other.k + " into top-" + k);
    }
    sketch.checkMergeable(other.sketch);
    // Checks passed: nothing below can fail.
    sketch.merge(other.sketch);
    Map<String, Long> union = new HashMap<>(listed);
    union.putAll(other.listed);
    List<HeavyHitter> ranked = new ArrayList<>(union.size());
    for (Map.Entry<String, Long> e : union.entrySet()) {
      ranked.add(new HeavyHitter(e.getKey(), sketch.estimateHash(e.getValue()), 0));
    }
    ranked.sort(HEAVIEST_FIRST);
    listed.clear();
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      String key = ranked.get(i).key();
      listed.put(key, union.get(key));
    }
    floor = 0;
  }

  @Override
  public TopK copy() {
    TopK c = new TopK(sketch.copy(), k);
    c.listed.putAll(listed);
    c.floor = floor;
    return c;
  }

  @Override
  public void clear() {
    sketch.clear();
    listed.clear();
    floor = 0;
  }

  @Override
  public boolean isEmpty() {
    return sketch.isEmpty() && listed.isEmpty();
  }

  @Override
  public long sizeInBytes() {
    long keys = 0;
    for (String key : listed.keySet()) {
      keys += 40 + 2L * key.length() + 16 + 24 + 32; // String + chars + Long + map entry/table share
    }
    return 48 + sketch.sizeInBytes() + 48 + keys;
  }

  @Override
  public byte[] toBytes() {
    ByteWriter w = new ByteWriter(64);
    w.writeByte(FORMAT_VERSION).writeByte(KIND).writeVarLong(k);
    sketch.writeTo(w);
    TreeMap<String, Long> sorted = new TreeMap<>(listed);
    w.writeVarLong(sorted.size());
    for (String key : sorted.keySet()) {
      w.writeVarLong(key.length());
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        w.writeByte(c >>> 8).writeByte(c);
      }
    }
    return w.toByteArray();
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws SketchFormatException on any other input; allocations are bounded by the input length
   */
  public static TopK fromBytes(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, "TopK");
    int version = r.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw r.fail("unsupported format version " + version + " (this library reads " + FORMAT_VERSION + ")");
    }
    int kind = r.readUnsignedByte();
    if (kind != KIND) {
      throw r.fail("not a TopK (kind byte " + kind + ")");
    }
    long k = r.readVarLong();
    if (k < 1 || k > MAX_K) {
      throw r.fail("k " + k + " outside [1, " + MAX_K + "]");
    }
    CountMinSketch sketch = CountMinSketch.readFrom(r);
    if (!sketch.isConservative()) {
      throw r.fail("a TopK's sketch uses conservative update");
    }
    TopK t = new TopK(sketch, (int) k);
    int n = r.readLength("keys", (int) k, 1);
    String previous = null;
    for (int i = 0; i < n; i++) {
      int len = r.readLength("key", MAX_KEY_LENGTH, 2);
      char[] chars = new char[len];
      for (int j = 0; j < len; j++) {
        chars[j] = (char) ((r.readUnsignedByte() << 8) | r.readUnsignedByte());
      }
      String key = new String(chars);
      if (previous != null && previous.compareTo(key) >= 0) {
        throw r.fail("keys are not in strictly ascending order");
      }
      if (!truncate(key).equals(key)) {
        throw r.fail("key ends with a high surrogate at the length limit");
      }
      t.listed.put(key, XxHash64.hashChars(key, 0));
      previous = key;
    }
    r.expectEnd();
    return t;
  }

  @Override
  public String toString() {
    return "TopK{k=" + k + ", totalWeight=" + totalWeight() + ", top=" + top() + "}";
  }
}
