package dev.sketchtrace.instrumentation.httpclient.jdk;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import dev.sketchtrace.bootstrap.httpclient.JdkResponseCompletion;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jdk.internal.net.http.HttpClientImpl.sendAsync(HttpRequest, BodyHandler,
 * PushPromiseHandler, Executor)}, which both {@code send} and {@code sendAsync} call on the app
 * thread. Enter (outermost HTTP-client call only): starts the span, child of the current span, and
 * makes it current while the method builds the request copy. Exit: restores the current span and
 * ends ours when the returned future completes, through a {@code whenComplete} stage nobody else
 * sees; a synchronous throw ends it at once. Never alters the argument, the future or the throw.
 */
public final class SendAsyncAdvice {
  private SendAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(
      @Advice.Argument(0) HttpRequest request,
      @Advice.Local("sketchtracePrevious") SpanEvent previous) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0 || request == null) {
      return null;
    }
    HttpClientSpan span = new HttpClientSpan(CurrentSpan.get());
    span.setMethod(request.method());
    URI uri = request.uri();
    span.setRawUrl(uri);
    if (uri != null) {
      span.setServer(uri.getHost(), uri.getPort());
    }
    span.recordAttempt();
    previous = CurrentSpan.attach(span);
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpClientSpan span,
      @Advice.Local("sketchtracePrevious") SpanEvent previous,
      @Advice.Return CompletableFuture<?> future,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span == null) {
      return;
    }
    CurrentSpan.restore(previous);
    if (thrown != null || future == null) {
      CallSpans.remove(span.callKey());
      span.end(0, thrown);
      return;
    }
    future.whenComplete(new JdkResponseCompletion(span));
  }
}
