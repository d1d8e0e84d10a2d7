package dev.sketchtrace.agent.fold;

import java.time.Instant;

/**
 * Turns {@link System#nanoTime()} readings (what events carry: cheap and monotonic) into epoch
 * nanoseconds (what OTLP wants), anchored once at agent start. Immutable, thread-safe.
 */
public final class EpochClock {
  private final long epochNanosAtAnchor;
  private final long nanoTimeAtAnchor;

  public EpochClock() {
    Instant now = Instant.now();
    this.nanoTimeAtAnchor = System.nanoTime();
    this.epochNanosAtAnchor = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  public long toEpochNanos(long nanoTime) {
    return epochNanosAtAnchor + (nanoTime - nanoTimeAtAnchor);
  }

  public long nowEpochNanos() {
    return toEpochNanos(System.nanoTime());
  }
}
