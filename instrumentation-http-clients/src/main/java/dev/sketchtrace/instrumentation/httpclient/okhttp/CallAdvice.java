package dev.sketchtrace.instrumentation.httpclient.okhttp;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import net.bytebuddy.asm.Advice;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Inlined into {@code RealCall.getResponseWithInterceptorChain}, which runs one call with all its
 * retries and redirects on the executing thread. Enter (outermost HTTP-client call only): starts
 * the span — its parent is the span {@link EnqueueAdvice} recorded for an async call, else the
 * current span — and makes it current for the interceptor chain. Exit: records status, protocol
 * or exception, restores the current span and ends ours. Return value and throw are untouched.
 */
public final class CallAdvice {
  private CallAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(
      @Advice.This Call call, @Advice.Local("sketchtracePrevious") SpanEvent previous) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0) {
      return null;
    }
    SpanEvent parent = CallSpans.remove(call);
    if (parent == null) {
      parent = CurrentSpan.get();
    }
    HttpClientSpan span = new HttpClientSpan(parent);
    Request request = call.request();
    span.setMethod(request.method());
    HttpUrl url = request.url();
    span.setRawUrl(url);
    span.setServer(url.host(), url.port());
    previous = CurrentSpan.attach(span);
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpClientSpan span,
      @Advice.Local("sketchtracePrevious") SpanEvent previous,
      @Advice.Return Response response,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span == null) {
      return;
    }
    CurrentSpan.restore(previous);
    if (response != null) {
      span.setProtocolVersion(response.protocol().toString());
    }
    span.end(response == null ? 0 : response.code(), thrown);
  }
}
