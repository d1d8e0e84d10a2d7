package dev.sketchtrace.instrumentation.httpclient.okhttp;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import net.bytebuddy.asm.Advice;
import okhttp3.Request;

/**
 * Inlined into {@code Exchange.writeRequestHeaders(Request)}, called once per request OkHttp puts
 * on the wire (the first attempt, each retry and redirect) with the network request the bridge
 * interceptor built. When an HTTP-client span is current, counts the attempt and hands the codec a
 * copy of that request with {@code traceparent} / {@code tracestate} added, unless the app set them.
 * Only this method's parameter is replaced: the interceptors, the app's {@code Request} and the
 * {@code Response} keep the objects they had.
 */
public final class RequestHeadersAdvice {
  private RequestHeadersAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.Argument(value = 0, readOnly = false) Request request) {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan) || current.isEnded() || request == null) {
      return;
    }
    ((HttpClientSpan) current).recordAttempt();
    if (request.header("traceparent") != null) {
      return;
    }
    Request.Builder builder =
        request.newBuilder().header("traceparent", TraceParent.format(current));
    String traceState = current.traceState();
    if (traceState != null && request.header("tracestate") == null) {
      builder.header("tracestate", traceState);
    }
    request = builder.build();
  }
}
