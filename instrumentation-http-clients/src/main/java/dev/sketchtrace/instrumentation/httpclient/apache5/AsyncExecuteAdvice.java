package dev.sketchtrace.instrumentation.httpclient.apache5;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Inlined into {@code InternalAbstractHttpAsyncClient.doExecute(...)} of Apache HttpClient 5's async
 * client, on the app thread. Enter (outermost HTTP-client call only): starts the span, child of
 * the current span, and makes it current while the method builds and hands on its copy of the
 * request ({@link AsyncRequestAdvice} fills in the request facts there and adds the headers).
 * Exit: the returned future is registered in {@code CallSpans}, and {@link FutureDoneAdvice} ends
 * the span when the client completes, fails or cancels that future — the app's future and
 * callback are not wrapped or replaced. A future already done by then is finished here (reading a
 * done future does not block).
 */
public final class AsyncExecuteAdvice {
  private AsyncExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(@Advice.Local("sketchtracePrevious") SpanEvent previous) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0) {
      return null;
    }
    HttpClientSpan span = new HttpClientSpan(CurrentSpan.get());
    previous = CurrentSpan.attach(span);
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.Enter HttpClientSpan span,
      @Advice.Local("sketchtracePrevious") SpanEvent previous,
      @Advice.Return Future<?> future,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span == null) {
      return;
    }
    CurrentSpan.restore(previous);
    if (thrown != null || !(future instanceof BasicFuture) || !CallSpans.put(future, span)) {
      span.end(0, thrown);
      return;
    }
    // Completed before it was registered: FutureDoneAdvice found nothing to end, so end it here.
    if (future.isDone() && CallSpans.remove(future) != null) {
      try {
        Object result = future.get();
        if (result instanceof HttpResponse) {
          span.setStatusCode(((HttpResponse) result).getCode());
        }
      } catch (ExecutionException e) {
        span.recordException(e.getCause());
      } catch (Throwable cancelledOrInterrupted) {
        // No outcome to record.
      }
      span.end();
    }
  }
}
