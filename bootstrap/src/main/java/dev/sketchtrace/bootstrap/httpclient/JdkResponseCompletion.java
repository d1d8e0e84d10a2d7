package dev.sketchtrace.bootstrap.httpclient;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Ends the span of a {@code java.net.http.HttpClient} call when its response future completes.
 * The advice attaches it with {@code future.whenComplete(...)} and discards the stage that returns,
 * so the future the application holds, and what it observes, are unchanged.
 *
 * <p>Runs once, on whichever thread completes the future; after the advice has attached it the app
 * thread no longer touches the span, so the span has a single writer.
 */
public final class JdkResponseCompletion implements BiConsumer<Object, Throwable> {
  private final HttpClientSpan span;

  public JdkResponseCompletion(HttpClientSpan span) {
    this.span = span;
  }

  @Override
  public void accept(Object response, Throwable failure) {
    try {
      if (response instanceof HttpResponse) {
        HttpResponse<?> httpResponse = (HttpResponse<?>) response;
        span.setStatusCode(httpResponse.statusCode());
        if (httpResponse.version() != null) {
          span.setProtocolVersion(httpResponse.version().name());
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
