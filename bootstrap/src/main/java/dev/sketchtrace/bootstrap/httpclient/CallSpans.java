package dev.sketchtrace.bootstrap.httpclient;

import dev.sketchtrace.bootstrap.SpanEvent;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spans of HTTP calls that begin in one method of a client and end in another, keyed by the
 * client's own call object: an {@code HttpURLConnection}'s span from {@code connect} to {@code
 * getInputStream}, an Apache async call's span until its future completes, and — for an OkHttp
 * {@code enqueue} — the caller's span, which the dispatcher thread takes as the parent. Retransformed
 * JDK classes cannot get a new field, so this map stands in for one.
 *
 * <p>Thread-safe: any thread may call any method. Keys are compared with {@code equals}, so only
 * objects with identity equality (connections, calls, futures) may be used. Bounded: past {@link
 * #MAX_PENDING} entries {@link #put} refuses — a call that is started but never finished (a
 * connection opened and abandoned) therefore cannot grow the map without limit; the race between
 * the size check and the insert may overshoot by a few entries, which is harmless.
 */
public final class CallSpans {
  /** Calls in flight that are tracked at once; beyond this, new calls go untracked. */
  public static final int MAX_PENDING = 4096;

  private static final ConcurrentHashMap<Object, SpanEvent> PENDING = new ConcurrentHashMap<>();

  private CallSpans() {}

  /** Associates {@code span} with {@code call}; returns false (and keeps nothing) when full. */
  public static boolean put(Object call, SpanEvent span) {
    if (call == null || span == null || PENDING.size() >= MAX_PENDING) {
      return false;
    }
    PENDING.put(call, span);
    return true;
  }

  /** The span associated with {@code call}, or null. */
  public static SpanEvent get(Object call) {
    return call == null ? null : PENDING.get(call);
  }

  /** Removes and returns the span associated with {@code call}, or null. */
  public static SpanEvent remove(Object call) {
    return call == null ? null : PENDING.remove(call);
  }

  /** Calls tracked now (best-effort). */
  public static int size() {
    return PENDING.size();
  }
}
