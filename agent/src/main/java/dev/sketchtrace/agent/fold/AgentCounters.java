package dev.sketchtrace.agent.fold;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the export thread writes and the folder reads when it reports the agent's own metrics.
 * Thread-safe.
 */
public final class AgentCounters {
  /** Export requests that failed (each failed attempt, metrics, spans or sketches). */
  public final LongAdder exportFailures = new LongAdder();
  /** Batches given up: retries exhausted, or pushed out of the bounded pending queue. */
  public final LongAdder exportDroppedBatches = new LongAdder();
}
