package dev.sketchtrace.instrumentation.httpclient.jdk;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import java.net.http.HttpRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the {@code jdk.internal.net.http.MultiExchange} constructors, which {@code
 * sendAsync} runs on the app thread for every call, with the call's span current. Registers the
 * span under the exchange in {@code CallSpans}, so that follow-up requests the exchange makes later
 * on the client's own threads (redirects, authentication) find it — see {@code
 * internal.FollowUpAdvice}. The span is the JDK client's own only if it was started for this very
 * request (same {@code URI} object); an enclosing span of another client is left alone.
 * {@code JdkResponseCompletion} removes the entry when the call completes.
 */
public final class ExchangeAdvice {
  private ExchangeAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(@Advice.This Object exchange, @Advice.Argument(0) HttpRequest request) {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan) || request == null) {
      return;
    }
    HttpClientSpan span = (HttpClientSpan) current;
    if (span.callKey() == null
        && span.rawUrl() == request.uri()
        && !span.isEnded()
        && CallSpans.put(exchange, span)) {
      span.setCallKey(exchange);
    }
  }
}
