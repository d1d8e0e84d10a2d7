package dev.sketchtrace.instrumentation.httpclient.apache4;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.HttpRequestWrapper;

/**
 * Inlined into {@code HttpRequestExecutor.execute(HttpRequest, HttpClientConnection,
 * HttpContext)}, called once per request written (first attempt, retries, redirects) with the
 * client's per-execution wrapper of the app's request. When an HTTP-client span is current, counts
 * the attempt and adds {@code traceparent} / {@code tracestate} to that wrapper unless a header of
 * that name is already there (the app's own, copied into the wrapper, or ours from an earlier
 * attempt). Only the client's {@code HttpRequestWrapper} is touched — never the app's own request
 * object, nor the {@code CONNECT} request of a proxy tunnel, which is not a wrapper.
 */
public final class RequestHeadersAdvice {
  private RequestHeadersAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) HttpRequest request) {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan)
        || current.isEnded()
        || !(request instanceof HttpRequestWrapper)) {
      return;
    }
    ((HttpClientSpan) current).recordAttempt();
    if (request.containsHeader("traceparent")) {
      return;
    }
    request.setHeader("traceparent", TraceParent.format(current));
    String traceState = current.traceState();
    if (traceState != null && !request.containsHeader("tracestate")) {
      request.setHeader("tracestate", traceState);
    }
  }
}
