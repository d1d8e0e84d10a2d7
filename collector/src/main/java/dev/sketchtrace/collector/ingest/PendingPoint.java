package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.SeriesIdentity;

/** Immutable: a validated point waiting to be written in its request's batch. */
public record PendingPoint(SeriesIdentity identity, long epochSecond, byte[] value) {}
