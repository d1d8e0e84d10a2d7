package dev.sketchtrace.collector.drift;

import java.util.List;

/**
 * Immutable: "what changed vs the previous window", ranked by {@link DriftItem#score()}, largest
 * change first. Routes and database operations are ranked in {@code items}; each service as a whole
 * (the merge of its routes) is in {@code services}, ranked the same way but apart, since a service's
 * change is made of its routes' changes and would otherwise crowd the route that actually moved.
 *
 * @param previousFromMillis start of the previous window; it ends where the current one starts
 * @param coMovements pairs whose series moved together, strongest first
 * @param caveat the sentence every presentation of co-movements must carry
 */
public record DriftReport(
    long previousFromMillis,
    long currentFromMillis,
    long currentToMillis,
    long stepMillis,
    List<DriftItem> items,
    List<DriftItem> services,
    List<CoMovement> coMovements,
    String caveat) {

  /**
   * Immutable: two dimensions whose per-step series moved together (r near 1) or against each other
   * (r near −1) over both windows.
   *
   * @param measure {@code latency} (per-step mean) or {@code rate} (per-step request count)
   */
  public record CoMovement(String first, String second, String measure, double coefficient, int points) {}

  public static final String CAVEAT =
      "Moved together means these series rose and fell at the same times in these two windows "
          + "(Pearson |r| ≥ 0.8 over the steps). It is not evidence that one caused the other: both may "
          + "share a cause (a deploy, a busy host, a GC pause, more traffic) or coincide by chance.";
}
