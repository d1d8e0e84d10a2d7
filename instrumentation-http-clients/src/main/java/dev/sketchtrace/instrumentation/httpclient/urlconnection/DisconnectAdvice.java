package dev.sketchtrace.instrumentation.httpclient.urlconnection;

import dev.sketchtrace.bootstrap.httpclient.UrlConnectionCalls;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code disconnect()}: a connection given up before its response was read ends its
 * span here (no status, no error), so it neither lingers in {@code CallSpans} nor gets lost.
 */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void onEnter(@Advice.This HttpURLConnection connection) {
    UrlConnectionCalls.abandoned(connection);
  }
}
