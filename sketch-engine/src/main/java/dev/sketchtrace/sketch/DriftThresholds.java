package dev.sketchtrace.sketch;

/**
 * Immutable: when {@link Drift} calls a dimension "changed", and which correlations it reports.
 *
 * <p>Defaults: a relative change of p50, p99 or mean above 20 %, a KS distance above 0.1, or a
 * population stability index above 0.2 (the usual "significant shift" line) marks a change; fewer
 * than 30 values in either window gives "insufficient data"; correlations weaker than |r| = 0.8 are
 * not reported.
 */
public final class DriftThresholds {
  private final double relativeChange;
  private final double ksDistance;
  private final double psi;
  private final long minCount;
  private final double minCorrelation;

  private DriftThresholds(double relativeChange, double ksDistance, double psi, long minCount, double minCorrelation) {
    if (!(relativeChange > 0) || !(ksDistance > 0 && ksDistance <= 1) || !(psi > 0) || minCount < 1
        || !(minCorrelation >= 0 && minCorrelation <= 1)) {
      throw new IllegalArgumentException("invalid drift thresholds: relativeChange=" + relativeChange + ", ks="
          + ksDistance + ", psi=" + psi + ", minCount=" + minCount + ", minCorrelation=" + minCorrelation);
    }
    this.relativeChange = relativeChange;
    this.ksDistance = ksDistance;
    this.psi = psi;
    this.minCount = minCount;
    this.minCorrelation = minCorrelation;
  }

  public static DriftThresholds defaults() {
    return new DriftThresholds(0.2, 0.1, 0.2, 30, 0.8);
  }

  public DriftThresholds withRelativeChange(double v) {
    return new DriftThresholds(v, ksDistance, psi, minCount, minCorrelation);
  }

  public DriftThresholds withKsDistance(double v) {
    return new DriftThresholds(relativeChange, v, psi, minCount, minCorrelation);
  }

  public DriftThresholds withPsi(double v) {
    return new DriftThresholds(relativeChange, ksDistance, v, minCount, minCorrelation);
  }

  public DriftThresholds withMinCount(long v) {
    return new DriftThresholds(relativeChange, ksDistance, psi, v, minCorrelation);
  }

  public DriftThresholds withMinCorrelation(double v) {
    return new DriftThresholds(relativeChange, ksDistance, psi, minCount, v);
  }

  public double relativeChange() {
    return relativeChange;
  }

  public double ksDistance() {
    return ksDistance;
  }

  public double psi() {
    return psi;
  }

  public long minCount() {
    return minCount;
  }

  public double minCorrelation() {
    return minCorrelation;
  }
}
