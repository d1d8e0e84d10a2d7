package dev.sketchtrace.instrumentation.httpclient.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
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
 * OkHttp 3.14+ and 4.x, synchronous {@code execute} and asynchronous {@code enqueue}.
 *
 * <p>Both paths run the call through {@code RealCall.getResponseWithInterceptorChain} — on the app
 * thread for {@code execute}, on a dispatcher thread for {@code enqueue} — so the span lives exactly
 * there: it covers retries and redirects (one span, {@code http.request.resend_count}) and ends
 * when the response headers are in, before the app's callback runs. {@code enqueue} only records
 * the caller's current span so the dispatcher thread can make it the parent. {@code traceparent}
 * goes into the request copy OkHttp writes to the wire ({@code Exchange.writeRequestHeaders}); the
 * app's {@code Request}, and {@code response.request()}, are left as they were.
 */
public final class OkHttpModule implements InstrumentationModule {
  private static final String PKG = "dev.sketchtrace.instrumentation.httpclient.okhttp.";

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of("okhttp3.OkHttpClient");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new RealCall(), new Exchange());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(HttpClientSpanMapper.INSTANCE);
  }

  private static final class RealCall implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      // 4.x moved RealCall into the connection package.
      return namedOneOf("okhttp3.RealCall", "okhttp3.internal.connection.RealCall");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of(
          "getResponseWithInterceptorChain", "getResponseWithInterceptorChain$okhttp", "enqueue");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      // 4.x compiles the Kotlin-internal function as getResponseWithInterceptorChain$okhttp.
      target.advise(
          nameStartsWith("getResponseWithInterceptorChain").and(takesArguments(0)),
          PKG + "CallAdvice");
      target.advise(named("enqueue").and(takesArguments(1)), PKG + "EnqueueAdvice");
    }
  }

  private static final class Exchange implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("okhttp3.internal.connection.Exchange");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("writeRequestHeaders");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(
          named("writeRequestHeaders").and(takesArguments(1)), PKG + "RequestHeadersAdvice");
    }
  }
}
