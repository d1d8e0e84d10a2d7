package dev.sketchtrace.bootstrap.httpclient;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The life of one {@link HttpURLConnection} request as the advice in the JDK's implementation sees
 * it. One logical request spreads over several calls on the connection ({@code connect}, {@code
 * getOutputStream}, {@code getInputStream} / {@code getResponseCode}), so its span is kept in
 * {@link CallSpans} under the connection from the first of them until the response is known.
 *
 * <p>Called by inlined advice only, on the thread using the connection (a connection is not
 * shared between threads while a request is in flight). Never throws for the app's sake: the
 * advice suppresses whatever might escape.
 */
public final class UrlConnectionCalls {
  private UrlConnectionCalls() {}

  /**
   * The connection's span: the one already started, else — when {@code unused} (the connection has
   * neither connected nor failed yet) — a new one, child of the current span, with {@code
   * traceparent} / {@code tracestate} added unless the app set them. Null when the connection was
   * used before (its request is over, or it was opened before the agent) or too many are pending.
   */
  public static HttpClientSpan start(HttpURLConnection connection, boolean unused) {
    SpanEvent existing = CallSpans.get(connection);
    if (existing instanceof HttpClientSpan) {
      return (HttpClientSpan) existing;
    }
    if (!unused) {
      return null;
    }
    HttpClientSpan span = new HttpClientSpan(CurrentSpan.get());
    span.setMethod(connection.getRequestMethod());
    URL url = connection.getURL();
    span.setRawUrl(url);
    span.setServer(url.getHost(), url.getPort());
    if (!CallSpans.put(connection, span)) {
      return null;
    }
    if (connection.getRequestProperty("traceparent") == null) {
      connection.setRequestProperty("traceparent", TraceParent.format(span));
      String traceState = span.traceState();
      if (traceState != null && connection.getRequestProperty("tracestate") == null) {
        connection.setRequestProperty("tracestate", traceState);
      }
    }
    span.recordAttempt();
    return span;
  }

  /** A step before the response ({@code connect}, {@code getOutputStream}) threw: the span ends. */
  public static void failed(HttpURLConnection connection, Throwable thrown) {
    SpanEvent span = CallSpans.remove(connection);
    if (span != null) {
      span.recordException(thrown);
      span.end();
    }
  }

  /**
   * {@code getInputStream} returned or threw: the span ends with the status, or with the exception
   * when there is no status. The caller must still count as inside the HTTP-client call (its
   * call depth not yet left), so that the {@code getResponseCode()} below — which re-reads the
   * cached response or rethrows the remembered failure, without network I/O — starts nothing.
   */
  public static void responded(HttpURLConnection connection, Throwable thrown) {
    SpanEvent removed = CallSpans.remove(connection);
    if (!(removed instanceof HttpClientSpan)) {
      return;
    }
    HttpClientSpan span = (HttpClientSpan) removed;
    try {
      int status = -1;
      if (thrown == null || thrown instanceof IOException) {
        try {
          status = connection.getResponseCode();
        } catch (Throwable ignored) {
          // No status line: the failure itself is the outcome.
        }
      }
      if (status > 0) {
        span.setStatusCode(status);
        span.setProtocolVersion("1.1");
      } else {
        span.recordException(thrown);
      }
    } finally {
      span.end();
    }
  }

  /** {@code disconnect()} before the response was read: the span ends without a status. */
  public static void abandoned(HttpURLConnection connection) {
    SpanEvent span = CallSpans.remove(connection);
    if (span != null) {
      span.end();
    }
  }
}
