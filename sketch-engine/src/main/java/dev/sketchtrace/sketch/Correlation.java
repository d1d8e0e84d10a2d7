package dev.sketchtrace.sketch;

import java.util.Objects;

/**
 * Immutable: two dimensions whose per-bucket series moved together (Pearson {@code r} near +1) or
 * against each other (near −1), over {@code points} buckets where both had data.
 */
public final class Correlation {
  private final String first;
  private final String second;
  private final double coefficient;
  private final int points;

  Correlation(String first, String second, double coefficient, int points) {
    this.first = Objects.requireNonNull(first, "first");
    this.second = Objects.requireNonNull(second, "second");
    this.coefficient = coefficient;
    this.points = points;
  }

  public String first() {
    return first;
  }

  public String second() {
    return second;
  }

  /** Pearson correlation coefficient in [−1, 1]. */
  public double coefficient() {
    return coefficient;
  }

  public int points() {
    return points;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Correlation)) {
      return false;
    }
    Correlation c = (Correlation) o;
    return first.equals(c.first) && second.equals(c.second)
        && Double.compare(coefficient, c.coefficient) == 0 && points == c.points;
  }

  @Override
  public int hashCode() {
    return Objects.hash(first, second, coefficient, points);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s ~ %s: r=%.3f over %d buckets", first, second, coefficient, points);
  }
}
