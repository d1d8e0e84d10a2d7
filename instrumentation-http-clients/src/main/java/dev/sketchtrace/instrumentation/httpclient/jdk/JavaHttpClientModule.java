package dev.sketchtrace.instrumentation.httpclient.jdk;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
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
 * {@code java.net.http.HttpClient} (JDK 11+): one span per {@code send} / {@code sendAsync}, ended
 * when the response future completes, and {@code traceparent} added as a <em>system</em> header of
 * the client's internal copy of the request — the app's {@code HttpRequest} is immutable and stays
 * untouched, and {@code response.request()} still returns it.
 *
 * <p>Follow-up requests the client makes by itself on its own threads (redirects it follows,
 * authentication retries) are built from fresh system headers: the span is registered under the
 * client's {@code MultiExchange} so that they get the same {@code traceparent} and count as resends.
 *
 * <p>Both public entry points funnel into the private four-argument {@code
 * HttpClientImpl.sendAsync}, which builds the internal {@code HttpRequestImpl} on the calling
 * thread; the span is current there, so the constructor advice finds it.
 */
public final class JavaHttpClientModule implements InstrumentationModule {

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ClientImpl(), new RequestImpl(), new Exchange());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(HttpClientSpanMapper.INSTANCE);
  }

  private static final class ClientImpl implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public boolean transformsLoadedClasses() {
      return true;
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("sendAsync");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(
          named("sendAsync").and(takesArguments(4)),
          "dev.sketchtrace.instrumentation.httpclient.jdk.SendAsyncAdvice");
    }
  }

  private static final class RequestImpl implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("jdk.internal.net.http.HttpRequestImpl");
    }

    @Override
    public boolean transformsLoadedClasses() {
      return true;
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("<init>");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(
          isConstructor()
              .and(takesArguments(2))
              .and(takesArgument(0, named("java.net.http.HttpRequest"))),
          "dev.sketchtrace.instrumentation.httpclient.jdk.internal.RequestHeadersAdvice");
    }
  }

  private static final class Exchange implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("jdk.internal.net.http.MultiExchange");
    }

    @Override
    public boolean transformsLoadedClasses() {
      return true;
    }

    @Override
    public List<String> adviceMethodNames() {
      return List.of("<init>", "responseFilters");
    }

    @Override
    public void applyAdvice(AdviceTarget target) {
      target.advise(
          isConstructor().and(takesArgument(0, named("java.net.http.HttpRequest"))),
          "dev.sketchtrace.instrumentation.httpclient.jdk.ExchangeAdvice");
      target.advise(
          named("responseFilters").and(takesArguments(1)),
          "dev.sketchtrace.instrumentation.httpclient.jdk.internal.FollowUpAdvice");
    }
  }
}
