package dev.sketchtrace.instrumentation.httpclient.jdk.internal;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructor {@code jdk.internal.net.http.HttpRequestImpl(HttpRequest,
 * ProxySelector)}, which the client calls to copy the app's request before sending it. When an
 * HTTP-client span is current (the send advice made it so), adds {@code traceparent} — and the
 * caller's {@code tracestate} — as system headers of that internal copy, the place where the client
 * itself puts {@code User-Agent}; a header the app set on its own request wins and is left alone.
 *
 * <p>Compiled apart from the rest of the module (with {@code --add-exports}, not {@code --release})
 * because it names the JDK-internal class; {@code setSystemHeader(String, String)} exists with this
 * signature in JDK 11 through 25.
 */
public final class RequestHeadersAdvice {
  private RequestHeadersAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.This HttpRequestImpl self, @Advice.Argument(0) HttpRequest appRequest) {
    SpanEvent current = CurrentSpan.get();
    if (!(current instanceof HttpClientSpan) || current.isEnded() || appRequest == null) {
      return;
    }
    HttpHeaders appHeaders = appRequest.headers();
    if (appHeaders.firstValue("traceparent").isPresent()) {
      return;
    }
    self.setSystemHeader("traceparent", TraceParent.format(current));
    String traceState = current.traceState();
    if (traceState != null && appHeaders.firstValue("tracestate").isEmpty()) {
      self.setSystemHeader("tracestate", traceState);
    }
  }
}
