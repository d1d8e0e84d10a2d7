package dev.sketchtrace.sketch;

import java.util.Objects;

/**
 * Immutable: one entry of {@link TopK#top()} — a key, its Count-Min estimate, and the additive
 * error bound {@code ε · N} that goes with it. The true weight lies in
 * {@code [estimate − errorBound, estimate]} (the upper end always, the lower end with probability
 * {@code 1 − δ}).
 */
public final class HeavyHitter {
  private final String key;
  private final long estimate;
  private final long errorBound;

  public HeavyHitter(String key, long estimate, long errorBound) {
    this.key = Objects.requireNonNull(key, "key");
    this.estimate = estimate;
    this.errorBound = errorBound;
  }

  public String key() {
    return key;
  }

  /** Estimated total weight; never below the true one. */
  public long estimate() {
    return estimate;
  }

  /** Additive bound {@code ceil(ε · N)} of the over-estimate. */
  public long errorBound() {
    return errorBound;
  }

  /** {@code max(0, estimate − errorBound)}: the true weight is at least this (probability 1 − δ). */
  public long lowerBound() {
    return Math.max(0, estimate - errorBound);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeavyHitter)) {
      return false;
    }
    HeavyHitter h = (HeavyHitter) o;
    return key.equals(h.key) && estimate == h.estimate && errorBound == h.errorBound;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, estimate, errorBound);
  }

  @Override
  public String toString() {
    return key + "=" + estimate + "±" + errorBound;
  }
}
