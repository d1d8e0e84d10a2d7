package dev.sketchtrace.instrumentation.httpclient.okhttp;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.httpclient.CallSpans;
import net.bytebuddy.asm.Advice;
import okhttp3.Call;

/**
 * Inlined into {@code RealCall.enqueue(Callback)} on the app thread: remembers the current span
 * under the call so that {@link CallAdvice}, on the dispatcher thread, makes it the parent. Recorded
 * on enter, because the dispatcher may start the call before {@code enqueue} returns; taken back on
 * a throw (a call enqueued twice), when no execution will ever claim it.
 */
public final class EnqueueAdvice {
  private EnqueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean onEnter(@Advice.This Call call) {
    SpanEvent current = CurrentSpan.get();
    return current != null && CallSpans.put(call, current);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(
      @Advice.This Call call, @Advice.Enter boolean recorded, @Advice.Thrown Throwable thrown) {
    if (recorded && thrown != null) {
      CallSpans.remove(call);
    }
  }
}
