package dev.sketchtrace.instrumentation.httpclient.apache5;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;

/**
 * Inlined into core's {@code HttpRequestExecutor.execute(ClassicHttpRequest, HttpClientConnection,
 * HttpResponseInformationCallback, HttpContext)}, called once per request written (first attempt,
 * retries, redirects). When an HTTP-client span is current, counts the attempt and adds {@code
 * traceparent} / {@code tracestate} unless a header of that name is already there (the app's own,
 * copied with the request, or ours from an earlier attempt). The {@code CONNECT} request of a proxy
 * tunnel is left alone: it goes to the proxy, not to the server the span is about.
 */
public final class RequestHeadersAdvice {
  private RequestHeadersAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) ClassicHttpRequest request) {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan)
        || current.isEnded()
        || request == null
        || "CONNECT".equalsIgnoreCase(request.getMethod())) {
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
