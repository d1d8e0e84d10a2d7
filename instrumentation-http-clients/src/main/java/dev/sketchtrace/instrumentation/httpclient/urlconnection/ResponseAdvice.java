package dev.sketchtrace.instrumentation.httpclient.urlconnection;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.httpclient.UrlConnectionCalls;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code getInputStream()} of the JDK's HttpURLConnection, which {@code
 * getResponseCode} and the header getters call too. Enter (outermost call only): starts the span
 * if {@link RequestAdvice} did not. Exit: the response is known and the span ends with its status,
 * or with the exception when there is none (refused, timed out). The call depth is left only after
 * that, because ending reads the status through {@code getResponseCode()}, which re-enters here.
 */
public final class ResponseAdvice {
  private ResponseAdvice() {}

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
    try {
      if (span != null) {
        UrlConnectionCalls.responded(connection, thrown);
      }
    } finally {
      CallDepth.exit(CallDepth.HTTP_CLIENT);
    }
  }
}
