package dev.sketchtrace.sample.shop;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How long the report query sleeps inside the database: a fixed base plus an extra that
 * {@code POST /admin/slowdown} changes at run time, so the demo and drift detection have a real
 * regression to find. Thread-safe.
 */
@Component
public final class SlowdownSwitch {

  private final int baseMillis;
  private final AtomicInteger extraMillis = new AtomicInteger();

  public SlowdownSwitch(@Value("${shop.report.base-delay-ms:40}") int baseMillis) {
    this.baseMillis = Math.max(0, baseMillis);
  }

  public int reportDelayMillis() {
    return baseMillis + extraMillis.get();
  }

  public int extraMillis() {
    return extraMillis.get();
  }

  /** Sets the extra delay; bounded to 0..10 s so a typo cannot hang the app. */
  public void setExtraMillis(int millis) {
    extraMillis.set(Math.max(0, Math.min(10_000, millis)));
  }
}
