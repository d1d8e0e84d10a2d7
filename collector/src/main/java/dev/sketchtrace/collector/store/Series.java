package dev.sketchtrace.collector.store;

/** Immutable: a registered series and the id its points are stored under. */
public record Series(long id, SeriesIdentity identity) {}
