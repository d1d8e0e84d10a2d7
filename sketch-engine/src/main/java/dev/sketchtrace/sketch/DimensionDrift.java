package dev.sketchtrace.sketch;

import java.util.List;
import java.util.Objects;

/**
 * Immutable: how one named dimension moved from the previous window to the current one.
 *
 * <p>Relative changes are {@code (current − previous) / |previous|} (0 when both are 0, ±Infinity
 * when only the previous is 0, NaN when a window is empty). {@link #reasons()} names the measures
 * that crossed their threshold, e.g. {@code "p99 +35.2%"}.
 */
public final class DimensionDrift {
  /** The verdict for one dimension. */
  public enum Verdict {
    STABLE,
    CHANGED,
    /** Too few values in one of the windows to judge. */
    INSUFFICIENT_DATA
  }

  private final String name;
  private final long previousCount;
  private final long currentCount;
  private final double p50Change;
  private final double p99Change;
  private final double meanChange;
  private final double ksDistance;
  private final double psi;
  private final Verdict verdict;
  private final List<String> reasons;

  DimensionDrift(String name, long previousCount, long currentCount, double p50Change, double p99Change,
      double meanChange, double ksDistance, double psi, Verdict verdict, List<String> reasons) {
    this.name = Objects.requireNonNull(name, "name");
    this.previousCount = previousCount;
    this.currentCount = currentCount;
    this.p50Change = p50Change;
    this.p99Change = p99Change;
    this.meanChange = meanChange;
    this.ksDistance = ksDistance;
    this.psi = psi;
    this.verdict = verdict;
    this.reasons = List.copyOf(reasons);
  }

  public String name() {
    return name;
  }

  public long previousCount() {
    return previousCount;
  }

  public long currentCount() {
    return currentCount;
  }

  public double p50Change() {
    return p50Change;
  }

  public double p99Change() {
    return p99Change;
  }

  public double meanChange() {
    return meanChange;
  }

  /** Kolmogorov–Smirnov distance between the two bucket histograms, in [0, 1]. */
  public double ksDistance() {
    return ksDistance;
  }

  /** Population stability index over ten bins cut at the previous window's deciles. */
  public double psi() {
    return psi;
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean changed() {
    return verdict == Verdict.CHANGED;
  }

  public List<String> reasons() {
    return reasons;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%s: %s (p50 %+.1f%%, p99 %+.1f%%, mean %+.1f%%, KS %.3f, PSI %.3f, n %d -> %d)", name, verdict,
        100 * p50Change, 100 * p99Change, 100 * meanChange, ksDistance, psi, previousCount, currentCount);
  }
}
