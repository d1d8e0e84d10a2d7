package dev.sketchtrace.instrumentation.httpclient.urlconnection;

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
 * {@code java.net.HttpURLConnection} as the JDK implements it ({@code
 * sun.net.www.protocol.http.HttpURLConnection}, which HTTPS connections delegate to as well).
 *
 * <p>One logical request spreads over several calls on one connection object — {@code connect},
 * {@code getOutputStream} for a body, then {@code getInputStream} / {@code getResponseCode} — which
 * also call each other. The span starts at the first of them (injecting {@code traceparent} while
 * the request headers can still change), is kept in {@code CallSpans} under the connection, and
 * ends when the response has been read ({@code getInputStream} returns or throws), when a step
 * before it fails, or on {@code disconnect}.
 */
public final class HttpUrlConnectionModule implements InstrumentationModule {
  static final String IMPL = "sun.net.www.protocol.http.HttpURLConnection";

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new Impl());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(HttpClientSpanMapper.INSTANCE);
  }

  private static final class Impl implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named(IMPL);
    }

    @Override
    public boolean transformsLoadedClasses() {
      return true;
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("connect", "getOutputStream", "getInputStream", "disconnect");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      String pkg = "dev.sketchtrace.instrumentation.httpclient.urlconnection.";
      target.advise(
          namedOneOf("connect", "getOutputStream").and(takesArguments(0)),
          pkg + "RequestAdvice");
      target.advise(named("getInputStream").and(takesArguments(0)), pkg + "ResponseAdvice");
      target.advise(named("disconnect").and(takesArguments(0)), pkg + "DisconnectAdvice");
    }
  }
}
