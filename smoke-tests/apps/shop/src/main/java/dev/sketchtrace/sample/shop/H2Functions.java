package dev.sketchtrace.sample.shop;

/** Java functions registered in H2 with {@code CREATE ALIAS} (H2 calls them by name). */
public final class H2Functions {

  private H2Functions() {}

  /** {@code SLEEP_MS(ms)}: the H2 counterpart of PostgreSQL's {@code pg_sleep}. */
  public static int sleepMillis(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }
}
