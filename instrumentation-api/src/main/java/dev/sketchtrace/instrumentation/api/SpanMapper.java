package dev.sketchtrace.instrumentation.api;

import dev.sketchtrace.bootstrap.SpanEvent;

/**
 * What a finished event of one type means in OpenTelemetry terms. Runs on the folder thread only,
 * so an implementation may keep unsynchronized caches (bounded, like everything in the agent) and
 * may do the string work the app thread must not: sanitizing SQL, redacting URLs, naming spans.
 *
 * <p>The folder calls {@link #metricName}, {@link #seriesAttributes} and {@link #rankingKey} for
 * every event, and {@link #spanName}, {@link #spanAttributes} only for events of traces it exports.
 * A mapper must not throw; if it does, the folder drops that event and counts it.
 *
 * @param <E> the event type this mapper understands
 */
public interface SpanMapper<E extends SpanEvent> {

  /** The exact event class this mapper handles. */
  Class<E> eventType();

  /** The duration histogram this event folds into, e.g. {@code http.server.request.duration}. */
  String metricName(E event);

  /**
   * The attributes that identify the metric series (bounded cardinality: never a raw path, URL or
   * SQL text with literals), written in a fixed order.
   */
  void seriesAttributes(E event, AttributeSink series);

  /**
   * The key by which the agent ranks this metric's series (top-K by total time and by calls, plus
   * a distinct count), e.g. a SQL fingerprint; series outside the top-K fold into one {@code other}
   * series. Null when the metric is not ranked.
   */
  default String rankingKey(E event) {
    return null;
  }

  /**
   * The {@code error.type} of a failed operation (an exception class name, an HTTP status code), or
   * null when it succeeded. Called for every event; the event's own {@link SpanEvent#errorType()}
   * and {@link SpanEvent#exception()} are the usual inputs.
   */
  String errorType(E event);

  /** The span name per semantic conventions (low cardinality). */
  String spanName(E event);

  /** All span attributes per semantic conventions, sanitized. */
  void spanAttributes(E event, AttributeSink span);
}
