package dev.sketchtrace.bootstrap.servlet;

import dev.sketchtrace.bootstrap.HttpServerSpan;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Ends the span of an asynchronous request when the container completes it, on whatever thread
 * that happens: the behaviour behind a {@link Proxy} that implements the app's own {@code
 * javax.servlet.AsyncListener} or {@code jakarta.servlet.AsyncListener}.
 *
 * <p>Why a proxy: the listener must implement a servlet interface, but this class sits on the
 * bootstrap loader and cannot name one, and the agent injects no classes into the app. The advice
 * supplies what needs the servlet types as method references it creates itself — {@code
 * response::getStatus} and {@code AsyncEvent::getThrowable} compile to {@code invokedynamic} with no
 * synthetic method, so they inline like any other advice code — and nothing here calls a servlet
 * method reflectively.
 *
 * <p>{@code onError} records the failure; {@code onComplete} reads the final status and the
 * configured response headers (an async response gets its headers from the completing thread, so
 * the dispatch that started it cannot read them) and ends the span. {@code onTimeout} needs nothing: after it the container either lets a listener complete or
 * dispatch, or completes with an error status itself, and {@code onComplete} follows either way.
 * {@code onStartAsync} needs nothing either: the dispatch that called {@code startAsync} again
 * registers a fresh listener when it exits. Thread-safe: callbacks may run on any thread; the span
 * ends once.
 */
public final class AsyncSpanListener implements InvocationHandler {
  private final HttpServerSpan span;
  private final IntSupplier status;
  // Null when no response header is configured for capture.
  private final Function<String, String> responseHeader;
  private final Function<Object, Throwable> throwableOfEvent;

  private AsyncSpanListener(
      HttpServerSpan span,
      IntSupplier status,
      Function<String, String> responseHeader,
      Function<Object, Throwable> throwableOfEvent) {
    this.span = span;
    this.status = status;
    this.responseHeader = responseHeader;
    this.throwableOfEvent = throwableOfEvent;
  }

  /**
   * A listener for {@code span} implementing {@code listenerInterface}, to pass to {@code
   * AsyncContext.addListener} after a cast.
   *
   * @param status reads the response's status when the request completes
   * @param responseHeader {@code response::getHeader}, or null when no response header is captured
   * @param throwableOfEvent {@code AsyncEvent::getThrowable}
   */
  @SuppressWarnings("unchecked")
  public static <E> Object create(
      Class<?> listenerInterface,
      HttpServerSpan span,
      IntSupplier status,
      Function<String, String> responseHeader,
      Function<E, Throwable> throwableOfEvent) {
    return Proxy.newProxyInstance(
        listenerInterface.getClassLoader(),
        new Class<?>[] {listenerInterface},
        new AsyncSpanListener(
            span, status, responseHeader, (Function<Object, Throwable>) throwableOfEvent));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    try {
      switch (method.getName()) {
        case "onComplete":
          if (responseHeader != null && !span.isEnded()) {
            ServerSpans.captureResponseHeaders(span, responseHeader);
          }
          ServerSpans.finish(span, status.getAsInt(), null, true);
          return null;
        case "onError":
          if (!span.isEnded() && args != null && args.length == 1) {
            span.recordException(throwableOfEvent.apply(args[0]));
          }
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return args != null && args.length == 1 && proxy == args[0];
        case "toString":
          return "SketchtraceAsyncListener";
        default: // onTimeout, onStartAsync: see the class comment
          return null;
      }
    } catch (RuntimeException | LinkageError e) {
      // Never into the container. Only onComplete and onError can fail (reading the status, a
      // header or the event); if onComplete failed the span still ends, rather than stay open.
      if ("onComplete".equals(method.getName())) {
        span.end();
      }
      return null;
    }
  }
}
