package dev.sketchtrace.collector.query;

import java.util.List;

/** Immutable: a statistic per step, from the tier named in {@code tier}. */
public record TimeSeries(String statistic, String tier, long stepSeconds, List<SeriesPoint> points) {}
