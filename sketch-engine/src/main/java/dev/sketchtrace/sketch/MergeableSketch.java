package dev.sketchtrace.sketch;

/**
 * Implementations are not thread-safe unless they say so: the operations every sketch in this
 * package shares, which is what {@link SlidingWindow} needs to keep a ring of them.
 *
 * <p>{@link #merge} is checked and all-or-nothing: when it throws (incompatible configuration,
 * or a counter that would overflow) the destination is exactly as it was.
 *
 * @param <S> the concrete sketch type
 */
public interface MergeableSketch<S extends MergeableSketch<S>> {

  /** Folds {@code other} into this sketch; {@code other} is not changed. */
  void merge(S other);

  /** An independent deep copy. */
  S copy();

  /** Returns to the empty state, keeping the configuration. */
  void clear();

  /** True when nothing has been added since creation or the last {@link #clear()}. */
  boolean isEmpty();

  /** The deterministic binary form: the same state always gives the same bytes. */
  byte[] toBytes();

  /** Approximate heap retained by this sketch, in bytes (compressed references assumed). */
  long sizeInBytes();
}
