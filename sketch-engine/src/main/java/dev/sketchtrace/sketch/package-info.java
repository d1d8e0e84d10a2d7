/**
 * Mergeable sketches with no dependencies: {@link dev.sketchtrace.sketch.QuantileSketch} (relative
 * accuracy, buckets identical to OTLP exponential histograms), {@link dev.sketchtrace.sketch.HyperLogLog},
 * {@link dev.sketchtrace.sketch.CountMinSketch} with {@link dev.sketchtrace.sketch.TopK} heavy
 * hitters, {@link dev.sketchtrace.sketch.SlidingWindow} rings of them and
 * {@link dev.sketchtrace.sketch.Drift} reports.
 *
 * <p>Every sketch is not thread-safe; every result class is immutable. Parameters are non-null.
 * Merges are checked and all-or-nothing; binary formats are versioned, deterministic, and their
 * readers throw {@link dev.sketchtrace.sketch.SketchFormatException} for any malformed input.
 */
package dev.sketchtrace.sketch;
