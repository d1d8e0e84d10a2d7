package dev.sketchtrace.collector.query;

import java.util.Map;

/**
 * Immutable: RED figures of one operation (a route, an outgoing call, a query shape) over a range.
 * Quantiles and max are in the metric's unit (seconds for the duration metrics); NaN when
 * {@code count == 0}. {@code rate} and {@code errorRate} are per second over the range.
 * {@code quantiles} says where the quantiles come from: {@code "sketch"} (exponential histograms:
 * within the sketch's relative error) or {@code "explicit_buckets"} (explicit-bucket histograms
 * from other senders: linear interpolation inside the bucket, only as good as the bounds).
 */
public record OperationStats(
    String metric, String operation, Map<String, String> attributes, long count, long errors,
    double rate, double errorRate, double p50, double p90, double p95, double p99, double max, double sum,
    String quantiles) {}
