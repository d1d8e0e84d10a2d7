package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.SeriesIdentity;
import dev.sketchtrace.sketch.QuantileSketch;

/**
 * Immutable (never modified once built): a validated point waiting to be written in its request's
 * batch. {@code sketch} is {@code value} decoded, for an exponential histogram (the store folds it
 * without decoding the bytes again); null for other kinds.
 */
public record PendingPoint(SeriesIdentity identity, long epochSecond, byte[] value, QuantileSketch sketch) {
  public PendingPoint(SeriesIdentity identity, long epochSecond, byte[] value) {
    this(identity, epochSecond, value, null);
  }
}
