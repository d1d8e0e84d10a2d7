package dev.sketchtrace.collector.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where drift reads its data: the collector's store, or a table in tests. */
@FunctionalInterface
public interface DriftSource {
  /**
   * Every dimension with data anywhere in {@code [from, from + steps · step)}, each as {@code steps}
   * consecutive steps of {@code step}.
   */
  List<DimensionSeries> load(Instant from, Duration step, int steps);
}
