package dev.sketchtrace.instrumentation.httpclient.apache4;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.ProtocolVersion;
import org.apache.http.StatusLine;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

/**
 * Inlined into {@code doExecute(HttpHost, HttpRequest, HttpContext)} of Apache HttpClient 4's
 * built clients. Enter (outermost HTTP-client call only): starts the span, child of the current
 * span, and makes it current for the execution chain. Exit: status, protocol or exception; the
 * span ends. Return value and throw are untouched.
 */
public final class ExecuteAdvice {
  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) HttpRequest request,
      @Advice.Local("sketchtracePrevious") SpanEvent previous) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0 || request == null) {
      return null;
    }
    HttpClientSpan span = new HttpClientSpan(CurrentSpan.get());
    if (request instanceof HttpUriRequest) {
      HttpUriRequest uriRequest = (HttpUriRequest) request;
      span.setMethod(uriRequest.getMethod());
      URI uri = uriRequest.getURI();
      if (uri != null && uri.isAbsolute()) {
        span.setRawUrl(uri);
      } else if (target != null && uri != null) {
        // Rare: a relative request URI with an explicit target; only then is a string built here
        // (with concat: httpclient 4 is Java 6 bytecode, where inlined invokedynamic cannot go).
        span.setUrl(target.toURI().concat(uri.toString()));
      }
    } else {
      span.setMethod(request.getRequestLine().getMethod());
      if (target != null) {
        span.setUrl(target.toURI().concat(request.getRequestLine().getUri()));
      }
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
    StatusLine status = response == null ? null : response.getStatusLine();
    ProtocolVersion version = status == null ? null : status.getProtocolVersion();
    if (version != null) {
      span.setProtocolVersion(version.getMajor(), version.getMinor());
    }
    span.end(status == null ? 0 : status.getStatusCode(), thrown);
  }
}
