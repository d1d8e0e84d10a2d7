package dev.sketchtrace.instrumentation.httpclient.apache5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.sketchtrace.instrumentation.api.AdviceTarget;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import dev.sketchtrace.instrumentation.httpclient.HttpClientSpanMapper;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 5.x, classic and async. Classic: the span covers {@code doExecute} of the built clients (internal
 * and minimal) with every retry and redirect; {@code traceparent} goes into the request handed to
 * core's {@code HttpRequestExecutor} — for the internal client a copy the client made of the app's
 * request. (The minimal client sends the app's request object itself, and its own protocol
 * interceptors already add headers such as {@code Host} to it; ours join them there.) Async: the
 * span starts in {@code doExecute} on the app thread, the headers go into the client's copy of the
 * request ({@code executeImmediate}), and the span ends when the client completes the future it
 * returned ({@code BasicFuture.completed / failed / cancel}).
 */
public final class ApacheHttpClient5Module implements InstrumentationModule {
  private static final String PKG = "dev.sketchtrace.instrumentation.httpclient.apache5.";

  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of("org.apache.hc.client5.http.impl.classic.InternalHttpClient");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new Client(), new RequestExecutor(), new AsyncClient(), new Futures());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(HttpClientSpanMapper.INSTANCE);
  }

  private static final class Client implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf(
          "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
          "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("doExecute");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(named("doExecute").and(takesArguments(3)), PKG + "ExecuteAdvice");
    }
  }

  private static final class RequestExecutor implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("org.apache.hc.core5.http.impl.io.HttpRequestExecutor");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("execute");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      // The 3-argument overload delegates to this one.
      target.advise(named("execute").and(takesArguments(4)), PKG + "RequestHeadersAdvice");
    }
  }

  private static final class AsyncClient implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("doExecute", "executeImmediate");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(named("doExecute").and(takesArguments(6)), PKG + "AsyncExecuteAdvice");
      target.advise(named("executeImmediate").and(takesArguments(5)), PKG + "AsyncRequestAdvice");
    }
  }

  private static final class Futures implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("org.apache.hc.core5.concurrent.BasicFuture");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("completed", "failed", "cancel");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(
          namedOneOf("completed", "failed", "cancel").and(takesArguments(1)),
          PKG + "FutureDoneAdvice");
    }
  }
}
