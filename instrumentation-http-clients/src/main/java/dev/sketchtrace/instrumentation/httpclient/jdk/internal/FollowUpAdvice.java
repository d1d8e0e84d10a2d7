package dev.sketchtrace.instrumentation.httpclient.jdk.internal;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import java.net.http.HttpHeaders;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code jdk.internal.net.http.MultiExchange.responseFilters(Response)},
 * which returns the follow-up request the client makes by itself — a redirect it follows, an
 * authentication retry — or null. Such a request starts from fresh system headers, so the call's
 * {@code traceparent} / {@code tracestate} are added to it again (unless the app set them: those
 * are user headers the client copies), and the attempt is counted as a resend. The span is found
 * under the exchange, where {@code ExchangeAdvice} registered it; this runs on a client thread.
 */
public final class FollowUpAdvice {
  private FollowUpAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.This Object exchange, @Advice.Return HttpRequestImpl followUp) {
    if (followUp == null) {
      return;
    }
    SpanEvent registered = CallSpans.get(exchange);
    if (!(registered instanceof HttpClientSpan) || registered.isEnded()) {
      return;
    }
    HttpClientSpan span = (HttpClientSpan) registered;
    span.recordAttempt();
    HttpHeaders appHeaders = followUp.headers();
    if (appHeaders.firstValue("traceparent").isPresent()) {
      return;
    }
    followUp.setSystemHeader("traceparent", TraceParent.format(span));
    String traceState = span.traceState();
    if (traceState != null && appHeaders.firstValue("tracestate").isEmpty()) {
      followUp.setSystemHeader("tracestate", traceState);
    }
  }
}
