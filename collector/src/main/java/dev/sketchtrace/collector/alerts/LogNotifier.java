package dev.sketchtrace.collector.alerts;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Writes each notification as one log line. Stateless and thread-safe. */
public final class LogNotifier implements Notifier {
  private static final Logger LOG = System.getLogger("dev.sketchtrace.collector.alerts");

  @Override
  public void send(AlertEvent e) {
    Level level = e.to() == AlertState.OK ? Level.INFO : Level.WARNING;
    LOG.log(
        level,
        "alert {0} [{1}] {2} -> {3} value={4} {5} labels={6}",
        e.rule(), e.kind(), e.from(), e.to(), e.value(), e.detail(), e.labels());
  }
}
