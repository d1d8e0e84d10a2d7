package dev.sketchtrace.collector.query;

/** Immutable: one step of a time series; {@code value} is NaN when the step holds no data. */
public record SeriesPoint(long epochSecond, double value) {}
