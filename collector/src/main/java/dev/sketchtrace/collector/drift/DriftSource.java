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

  /**
   * SQL statements (as top SQL ranks them) with their calls and total time in the previous window
   * {@code [previousFrom, currentFrom)} and the current one {@code [currentFrom, currentTo)}. Statements
   * have no latency sketch of their own (their series are per operation and table), so they are compared
   * by call rate and mean time per call. None by default.
   */
  default List<StatementWindows> statements(Instant previousFrom, Instant currentFrom, Instant currentTo) {
    return List.of();
  }

  /** Immutable: one statement's calls and total nanoseconds in the two windows. */
  record StatementWindows(String service, String statement, long previousCalls, long previousNanos, long currentCalls,
      long currentNanos) {}
}
