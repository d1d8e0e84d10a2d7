package dev.sketchtrace.sketch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Not thread-safe: a sliding window (say 5 minutes) kept as a ring of {@code n} sub-sketches of
 * {@code window / n} each, in constant memory.
 *
 * <p>Record into {@link #live()}, the sub-sketch of the current time slot. {@link #current()} is the
 * exact merge of the last {@code n} slots — the sketch of "the last 5 minutes" — and
 * {@link #previous()} the merge of the {@code n} slots before those, which is what {@link Drift}
 * compares against; the ring therefore holds {@code 2n} sub-sketches. Slots are recycled with
 * {@link MergeableSketch#clear()} when time reaches them again, so after warm-up nothing is
 * allocated per slot.
 *
 * <p>Time comes from an injected clock of milliseconds (tests pass a counter). Slot {@code e} covers
 * {@code [e · width, (e + 1) · width)}. If the clock goes backwards the window stays at the latest
 * slot seen rather than losing data.
 *
 * @param <S> the sketch type; all sub-sketches come from one factory, so they merge
 */
public final class SlidingWindow<S extends MergeableSketch<S>> {
  private final long slotMillis;
  private final int slots;
  private final Supplier<S> factory;
  private final LongSupplier clockMillis;
  private final List<S> ring;
  private final long[] epochs;
  private long latestEpoch = Long.MIN_VALUE;

  private SlidingWindow(Duration window, int slots, Supplier<S> factory, LongSupplier clockMillis) {
    Objects.requireNonNull(window, "window");
    if (slots < 1 || slots > 10_000) {
      throw new IllegalArgumentException("buckets must be in [1, 10000]: " + slots);
    }
    long millis = window.toMillis();
    if (millis < slots || millis % slots != 0) {
      throw new IllegalArgumentException(
          "window " + window + " must be a positive whole number of milliseconds per bucket (" + slots + ")");
    }
    this.slotMillis = millis / slots;
    this.slots = slots;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.ring = new ArrayList<>(2 * slots);
    this.epochs = new long[2 * slots];
    for (int i = 0; i < 2 * slots; i++) {
      ring.add(Objects.requireNonNull(factory.get(), "factory returned null"));
      epochs[i] = Long.MIN_VALUE;
    }
  }

  /** A window of {@code buckets} sub-sketches made by {@code factory}. */
  public static <S extends MergeableSketch<S>> SlidingWindow<S> of(
      Duration window, int buckets, Supplier<S> factory, LongSupplier clockMillis) {
    return new SlidingWindow<>(window, buckets, factory, clockMillis);
  }

  /** A window of {@link QuantileSketch#forLatencies()} sub-sketches. */
  public static SlidingWindow<QuantileSketch> ofQuantiles(Duration window, int buckets, LongSupplier clockMillis) {
    return of(window, buckets, QuantileSketch::forLatencies, clockMillis);
  }

  private long now() {
    long epoch = Math.floorDiv(clockMillis.getAsLong(), slotMillis);
    if (epoch > latestEpoch) {
      latestEpoch = epoch;
    }
    return latestEpoch;
  }

  private int slotOf(long epoch) {
    return (int) Math.floorMod(epoch, (long) epochs.length);
  }

  /** The sub-sketch of the current slot: add measurements to it. */
  public S live() {
    long epoch = now();
    int slot = slotOf(epoch);
    if (epochs[slot] != epoch) {
      ring.get(slot).clear();
      epochs[slot] = epoch;
    }
    return ring.get(slot);
  }

  /** A new sketch: the exact merge of the last {@code buckets} slots, the current one included. */
  public S current() {
    return mergeRange(now() - slots + 1);
  }

  /** A new sketch: the exact merge of the {@code buckets} slots just before {@link #current()}. */
  public S previous() {
    return mergeRange(now() - 2L * slots + 1);
  }

  private S mergeRange(long firstEpoch) {
    S out = factory.get();
    for (long e = firstEpoch; e < firstEpoch + slots; e++) {
      int slot = slotOf(e);
      if (epochs[slot] == e) {
        out.merge(ring.get(slot));
      }
    }
    return out;
  }

  /**
   * Copies of all {@code 2 · buckets} slots, oldest first (the previous window, then the current
   * one); slots with no data are empty sketches. This is the per-bucket series {@link Drift} correlates.
   */
  public List<S> bucketSeries() {
    long first = now() - 2L * slots + 1;
    List<S> out = new ArrayList<>(2 * slots);
    for (long e = first; e < first + 2L * slots; e++) {
      int slot = slotOf(e);
      out.add(epochs[slot] == e ? ring.get(slot).copy() : factory.get());
    }
    return out;
  }

  public Duration window() {
    return Duration.ofMillis(slotMillis * slots);
  }

  public int buckets() {
    return slots;
  }

  /** Heap held by the ring of sub-sketches and the slot bookkeeping. */
  public long sizeInBytes() {
    long total = 64 + 16 + 8L * epochs.length + 24 + 4L * ring.size();
    for (S s : ring) {
      total += s.sizeInBytes();
    }
    return total;
  }
}
