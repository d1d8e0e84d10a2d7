package dev.sketchtrace.collector.query;

/**
 * Immutable: trace search criteria; a null or empty string and a zero duration mean "any".
 * {@code error} null means "any", true only errors, false only successes.
 */
public record TraceQuery(
    TimeRange range, String service, String route, long minDurationNanos, Boolean error, int limit) {}
