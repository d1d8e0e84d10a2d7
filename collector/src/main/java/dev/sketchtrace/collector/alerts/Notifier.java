package dev.sketchtrace.collector.alerts;

/** Receives transitions and reminders. Implementations never block the evaluation thread. */
@FunctionalInterface
public interface Notifier {
  void send(AlertEvent event);
}
