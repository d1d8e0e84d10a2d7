package dev.sketchtrace.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random trace and span ids. {@link ThreadLocalRandom} is contention-free and allocation-free; ids
 * need to be unique, not unpredictable, so a cryptographic generator would be wasted cost.
 */
final class Ids {
  private Ids() {}

  /** A random non-zero 64-bit id (W3C forbids all-zero ids). */
  static long newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0L);
    return id;
  }

  static long newTraceIdHigh() {
    return ThreadLocalRandom.current().nextLong();
  }
}
