package dev.sketchtrace.sketch;

import java.util.Arrays;

/**
 * Not thread-safe: the dense bucket counts of one sign of a {@link QuantileSketch}.
 *
 * <p>{@code counts[j]} holds bucket index {@code offset + j}. The array may be wider than the
 * non-empty range (slack for growth), but never wider than the sketch's bucket limit, so the memory
 * is bounded. The owning sketch does the fast path itself ({@link #tryAdd}) and calls
 * {@link #cover} only when an index falls outside the array.
 */
final class BucketStore {
  private static final long[] EMPTY = new long[0];
  private static final int MIN_CAPACITY = 32;

  long[] counts = EMPTY;
  int offset;

  /** A deep copy with the same capacity, so the copy grows no sooner than the original. */
  BucketStore copy() {
    BucketStore c = new BucketStore();
    c.counts = counts.length == 0 ? EMPTY : counts.clone();
    c.offset = offset;
    return c;
  }

  /** Adds when {@code index} is inside the array; returns false (and changes nothing) otherwise. */
  boolean tryAdd(int index, long n) {
    long j = (long) index - offset;
    if (j >= 0 && j < counts.length) {
      counts[(int) j] += n;
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return firstIndex() == Integer.MAX_VALUE;
  }

  /** Lowest non-empty bucket index, or {@code Integer.MAX_VALUE} when empty. */
  int firstIndex() {
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] != 0) {
        return offset + j;
      }
    }
    return Integer.MAX_VALUE;
  }

  /** Highest non-empty bucket index, or {@code Integer.MIN_VALUE} when empty. */
  int lastIndex() {
    for (int j = counts.length - 1; j >= 0; j--) {
      if (counts[j] != 0) {
        return offset + j;
      }
    }
    return Integer.MIN_VALUE;
  }

  long count(int index) {
    long j = (long) index - offset;
    return j >= 0 && j < counts.length ? counts[(int) j] : 0;
  }

  /** Sum of all counts. @throws ArithmeticException on overflow */
  long total() {
    long t = 0;
    for (long c : counts) {
      t = Math.addExact(t, c);
    }
    return t;
  }

  /**
   * Makes the array cover {@code [lo, hi]} plus the current non-empty range, keeping the counts.
   * The caller guarantees the union spans at most {@code limit} buckets.
   */
  void cover(int lo, int hi, int limit) {
    if ((long) lo >= offset && (long) hi < (long) offset + counts.length) {
      return; // the current counts always lie inside the array, so nothing to scan or move
    }
    int first = firstIndex();
    if (first != Integer.MAX_VALUE) {
      lo = Math.min(lo, first);
      hi = Math.max(hi, lastIndex());
    }
    if ((long) lo >= offset && (long) hi < (long) offset + counts.length) {
      return;
    }
    int needed = hi - lo + 1;
    // Re-centre (same size) while the range uses at most 3/4 of the array; otherwise double it.
    // Either way the range moves only after growing by an eighth of the array, so the copying is
    // amortized, and the array never exceeds twice the range (nor the limit).
    int capacity = (long) needed * 4 <= (long) counts.length * 3
        ? counts.length
        : Math.min(limit, Math.max(needed, Math.max(MIN_CAPACITY, counts.length * 2)));
    int slack = capacity - needed;
    int newOffset;
    if (first == Integer.MAX_VALUE) {
      newOffset = lo - slack / 2;
    } else if (lo < first) {
      newOffset = lo - (slack - slack / 4); // growing downwards: most slack below
    } else {
      newOffset = lo - slack / 4; // growing upwards: most slack above
    }
    long[] moved = new long[capacity];
    if (first != Integer.MAX_VALUE) {
      int last = lastIndex();
      System.arraycopy(counts, first - offset, moved, first - newOffset, last - first + 1);
    }
    counts = moved;
    offset = newOffset;
  }

  /** Merges adjacent buckets {@code by} times: index {@code i} becomes {@code i >> by}. */
  void downscale(int by) {
    if (by == 0) {
      return;
    }
    int first = firstIndex();
    if (first == Integer.MAX_VALUE) {
      offset = 0;
      return;
    }
    int last = lastIndex();
    int newFirst = first >> by;
    long[] merged = new long[Math.max(counts.length >> by, (last >> by) - newFirst + 1)];
    for (int i = first; i <= last; i++) {
      merged[(i >> by) - newFirst] += counts[i - offset];
    }
    counts = merged;
    offset = newFirst;
  }

  /** Adds every bucket of {@code other}, shifted down by {@code by}; the array must cover them. */
  void addAll(BucketStore other, int by) {
    int first = other.firstIndex();
    if (first != Integer.MAX_VALUE) {
      addRange(other, by, first, other.lastIndex());
    }
  }

  /** {@link #addAll} when the caller already knows {@code other}'s non-empty range. */
  void addRange(BucketStore other, int by, int first, int last) {
    long[] oc = other.counts;
    int from = first - other.offset;
    int to = last - other.offset;
    if (by == 0) {
      // Same scale: a straight element-wise add the JIT can vectorize.
      int shift = other.offset - offset;
      for (int j = from; j <= to; j++) {
        counts[j + shift] += oc[j];
      }
      return;
    }
    for (int j = from; j <= to; j++) {
      counts[((other.offset + j) >> by) - offset] += oc[j];
    }
  }

  void clear() {
    Arrays.fill(counts, 0L);
  }

  long sizeInBytes() {
    return 16 + 8 + 16 + 8L * counts.length;
  }
}
