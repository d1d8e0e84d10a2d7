package dev.sketchtrace.instrumentation.httpclient.apache5;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ProtocolVersion;

/**
 * Inlined into {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of Apache HttpClient
 * 5's classic clients. Enter (outermost HTTP-client call only): starts the span, child of the
 * current span, and makes it current for the execution chain. Exit: status, protocol or
 * exception; the span ends. Return value and throw are untouched.
 */
public final class ExecuteAdvice {
  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) ClassicHttpRequest request,
      @Advice.Local("sketchtracePrevious") SpanEvent previous) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0 || request == null) {
      return null;
    }
    HttpClientSpan span = new HttpClientSpan(CurrentSpan.get());
    span.setMethod(request.getMethod());
    try {
      span.setRawUrl(request.getUri());
    } catch (Exception unparsable) {
      // No URL attribute then; the target below still names the server.
    }
    if (target != null) {
      span.setServer(target.getHostName(), target.getPort());
    }
    previous = CurrentSpan.attach(span);
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpClientSpan span,
      @Advice.Local("sketchtracePrevious") SpanEvent previous,
      @Advice.Return CloseableHttpResponse response,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span == null) {
      return;
    }
    CurrentSpan.restore(previous);
    ProtocolVersion version = response == null ? null : response.getVersion();
    if (version != null) {
      span.setProtocolVersion(version.getMajor(), version.getMinor());
    }
    span.end(response == null ? 0 : response.getCode(), thrown);
  }
}
