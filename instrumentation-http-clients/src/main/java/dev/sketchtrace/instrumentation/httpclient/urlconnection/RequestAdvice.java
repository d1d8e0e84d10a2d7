package dev.sketchtrace.instrumentation.httpclient.urlconnection;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.httpclient.UrlConnectionCalls;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code connect()} and {@code getOutputStream()} of the JDK's HttpURLConnection.
 * Enter (outermost HTTP-client call only): starts the connection's span unless it has one — only
 * while it is still unused, i.e. neither connected nor failed, so headers can still be added.
 * Exit: if the call threw, the request failed before any response and the span ends; a successful
 * call leaves it open for {@link ResponseAdvice}.
 */
public final class RequestAdvice {
  private RequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpClientSpan onEnter(
      @Advice.This HttpURLConnection connection,
      @Advice.FieldValue("connected") boolean connected,
      @Advice.FieldValue("rememberedException") Exception remembered) {
    if (CallDepth.enter(CallDepth.HTTP_CLIENT) != 0) {
      return null;
    }
    return UrlConnectionCalls.start(connection, !connected && remembered == null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.This HttpURLConnection connection,
      @Advice.Enter HttpClientSpan span,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span != null && thrown != null) {
      UrlConnectionCalls.failed(connection, thrown);
    }
  }
}
