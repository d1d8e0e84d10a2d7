package dev.sketchtrace.collector.query;

/** Immutable: one matching span of the trace search (ids in lowercase hex). */
public record TraceSummary(
    String traceId, String spanId, String service, String name, String route,
    long startUnixNano, long durationNanos, boolean error, boolean root) {}
