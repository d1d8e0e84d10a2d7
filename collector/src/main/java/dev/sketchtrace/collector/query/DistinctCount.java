package dev.sketchtrace.collector.query;

import java.util.Map;

/** Immutable: a HyperLogLog estimate of distinct values for one (metric, attributes). */
public record DistinctCount(String metric, Map<String, String> attributes, double estimate) {}
