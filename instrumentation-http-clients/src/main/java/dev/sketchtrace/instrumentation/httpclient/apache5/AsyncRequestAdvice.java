package dev.sketchtrace.instrumentation.httpclient.apache5;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Inlined into {@code InternalAbstractHttpAsyncClient.executeImmediate(HttpRequest, ...)}, which
 * {@code doExecute} calls on the app thread with its own copy of the app's request (scheme and
 * authority resolved). When the async span {@link AsyncExecuteAdvice} made current has no request
 * facts yet, records them here, counts the attempt, and adds {@code traceparent} / {@code
 * tracestate} to that copy unless the app set them.
 */
public final class AsyncRequestAdvice {
  private AsyncRequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(0) HttpRequest request) throws Exception {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan) || current.isEnded() || request == null) {
      return;
    }
    HttpClientSpan span = (HttpClientSpan) current;
    if (span.method() == null) {
      span.setMethod(request.getMethod());
      URIAuthority authority = request.getAuthority();
      if (authority != null) {
        span.setServer(authority.getHostName(), authority.getPort());
      }
      span.setRawUrl(request.getUri());
    }
    span.recordAttempt();
    if (request.containsHeader("traceparent")) {
      return;
    }
    request.setHeader("traceparent", TraceParent.format(span));
    String traceState = span.traceState();
    if (traceState != null && !request.containsHeader("tracestate")) {
      request.setHeader("tracestate", traceState);
    }
  }
}
