package dev.sketchtrace.bootstrap.httpclient;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Ends the span of a {@code java.net.http.HttpClient} call when its response future completes.
 * The advice attaches it with {@code future.whenComplete(...)} and discards the stage that returns,
 * so the future the application holds, and what it observes, are unchanged.
 *
 * <p>This class is on the bootstrap class loader, but the {@code java.net.http} module belongs to
 * the platform class loader: naming {@code HttpResponse} here would fail to link. The response is
 * therefore read through method handles looked up once, by name, from the public interface; the
 * JIT inlines calls through {@code static final} handles, so this costs what a direct call does.
 *
 * <p>Runs once, on whichever thread completes the future; after the advice has attached it the app
 * thread no longer touches the span, so the span has a single writer.
 */
public final class JdkResponseCompletion implements BiConsumer<Object, Throwable> {
  /** {@code (Object) -> int}: {@code HttpResponse.statusCode()}, or null without java.net.http. */
  private static final MethodHandle STATUS_CODE;
  /** {@code (Object) -> Object}: {@code HttpResponse.version()}, an {@code HttpClient.Version}. */
  private static final MethodHandle VERSION;
  private static final Class<?> RESPONSE_TYPE;

  static {
    Class<?> type = null;
    MethodHandle status = null;
    MethodHandle version = null;
    try {
      type = Class.forName("java.net.http.HttpResponse", false, ClassLoader.getPlatformClassLoader());
      Class<?> versionType =
          Class.forName("java.net.http.HttpClient$Version", false, ClassLoader.getPlatformClassLoader());
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      status = lookup.findVirtual(type, "statusCode", MethodType.methodType(int.class))
          .asType(MethodType.methodType(int.class, Object.class));
      version = lookup.findVirtual(type, "version", MethodType.methodType(versionType))
          .asType(MethodType.methodType(Object.class, Object.class));
    } catch (Throwable unavailable) {
      // A runtime without java.net.http never calls us; spans would just lack the status.
      type = null;
      status = null;
      version = null;
    }
    RESPONSE_TYPE = type;
    STATUS_CODE = status;
    VERSION = version;
  }

  private final HttpClientSpan span;

  public JdkResponseCompletion(HttpClientSpan span) {
    this.span = span;
  }

  @Override
  public void accept(Object response, Throwable failure) {
    try {
      CallSpans.remove(span.callKey());
      if (response != null && RESPONSE_TYPE != null && RESPONSE_TYPE.isInstance(response)) {
        span.setStatusCode((int) STATUS_CODE.invokeExact(response));
        Object version = (Object) VERSION.invokeExact(response);
        if (version instanceof Enum) {
          span.setProtocolVersion(((Enum<?>) version).name());
        }
      }
      if (failure != null) {
        span.recordException(unwrap(failure));
      }
    } catch (Throwable ignored) {
      // A surprising response implementation must never keep the span from ending.
    } finally {
      span.end();
    }
  }

  /** The failure the app sees from {@code send}: dependent stages wrap it in CompletionException. */
  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
