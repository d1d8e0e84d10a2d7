package dev.sketchtrace.instrumentation.httpclient.apache5;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolVersion;

/**
 * Inlined at the end of core's {@code BasicFuture.completed(T)}, {@code failed(Exception)} and
 * {@code cancel(boolean)}: if the future is the one an async HTTP call returned (registered by
 * {@link AsyncExecuteAdvice}), its span ends with the response's status, the failure, or nothing
 * (cancelled). Any other future costs one map lookup. Runs on the completing thread after the
 * future's state is set; the outcome the app receives is untouched.
 */
public final class FutureDoneAdvice {
  private FutureDoneAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void onExit(
      @Advice.This Object future,
      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object outcome) {
    SpanEvent removed = CallSpans.remove(future);
    if (!(removed instanceof HttpClientSpan)) {
      return;
    }
    HttpClientSpan span = (HttpClientSpan) removed;
    if (outcome instanceof HttpResponse) {
      HttpResponse response = (HttpResponse) outcome;
      ProtocolVersion version = response.getVersion();
      if (version != null) {
        span.setProtocolVersion(version.getMajor(), version.getMinor());
      }
      span.end(response.getCode(), null);
    } else {
      span.end(0, outcome instanceof Exception ? (Exception) outcome : null);
    }
  }
}
