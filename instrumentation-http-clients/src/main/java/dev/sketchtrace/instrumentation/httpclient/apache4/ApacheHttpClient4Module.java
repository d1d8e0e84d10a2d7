package dev.sketchtrace.instrumentation.httpclient.apache4;

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
 * Apache HttpClient 4.3+ (classic). The span covers {@code doExecute} of the clients {@code
 * HttpClientBuilder} makes (internal and minimal), with every retry and redirect inside it; {@code
 * traceparent} goes into the per-execution request wrapper the client hands to {@code
 * HttpRequestExecutor} (a copy of the app's headers), so the app's own request object is not
 * changed.
 */
public final class ApacheHttpClient4Module implements InstrumentationModule {
  private static final String PKG = "dev.sketchtrace.instrumentation.httpclient.apache4.";

  @Override
  public String name() {
    return "apache-httpclient-4";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of("org.apache.http.impl.client.InternalHttpClient");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new Client(), new RequestExecutor());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(HttpClientSpanMapper.INSTANCE);
  }

  private static final class Client implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf(
          "org.apache.http.impl.client.InternalHttpClient",
          "org.apache.http.impl.client.MinimalHttpClient");
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
      return named("org.apache.http.protocol.HttpRequestExecutor");
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("execute");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(named("execute").and(takesArguments(3)), PKG + "RequestHeadersAdvice");
    }
  }
}
