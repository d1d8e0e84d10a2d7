package dev.sketchtrace.collector.drift;

import java.util.List;

/**
 * Immutable: how one dimension moved from the previous window to the current one. Relative changes
 * are {@code (current − previous) / |previous|}; the error-rate change is in absolute points (0.02 =
 * two percentage points). NaN where a window had no data.
 *
 * @param verdict {@code CHANGED}, {@code STABLE} or {@code INSUFFICIENT_DATA} (sketch-engine's verdict on
 *     the latency distribution, or CHANGED when rate or error rate moved past the threshold)
 * @param kind {@code route}, {@code db} (an operation on a table), {@code statement} (one SQL text) or
 *     {@code service}
 * @param meanChange relative change of the mean latency (for a statement: mean time per call)
 * @param score what the ranking sorts by: the largest of |Δp50|, |Δp99|, |Δrate| and 10 × |Δerror
 *     rate| (for a statement: of |Δrate| and |Δmean|), infinite changes counted as 10 (1000 %)
 * @param movedWith keys of the dimensions whose series moved together with this one
 */
public record DriftItem(
    String key,
    String kind,
    String service,
    String name,
    double p50Previous,
    double p50Current,
    double p50Change,
    double p99Previous,
    double p99Current,
    double p99Change,
    double meanChange,
    double ratePrevious,
    double rateCurrent,
    double rateChange,
    double errorRatePrevious,
    double errorRateCurrent,
    double errorRateChange,
    double ksDistance,
    double psi,
    String verdict,
    List<String> reasons,
    double score,
    List<String> movedWith) {}
