package dev.sketchtrace.collector.query;

/** Immutable: a heavy hitter; the true weight lies in {@code [estimate - errorBound, estimate]}. */
public record TopEntry(String key, long estimate, long errorBound) {}
