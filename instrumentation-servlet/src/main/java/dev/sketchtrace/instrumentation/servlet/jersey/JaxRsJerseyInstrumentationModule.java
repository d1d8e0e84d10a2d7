package dev.sketchtrace.instrumentation.servlet.jersey;

import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.util.List;

/**
 * JAX-RS {@code @Path} templates as the {@code http.route} of servlet requests that Jersey 2.x
 * ({@code javax.ws.rs}) or 3.x ({@code jakarta.ws.rs}) serves, e.g. {@code /api/owners/{id}}.
 * Switched off by {@code otel.instrumentation.jaxrs-jersey.enabled=false}.
 *
 * <p>A module of its own, not a type instrumentation of the servlet module, so that it has its own
 * library gate — only class loaders that can see Jersey's {@code ResourceMethodInvoker} are ever
 * matched against it, and an app without Jersey gets nothing of it — and its own switch. It makes
 * no span and so has no mapper: it names the servlet module's {@code HttpServerSpan}, whose mapper
 * builds the route. Spring MVC's best-matching pattern, when a request has one, still wins.
 */
public final class JaxRsJerseyInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "jaxrs-jersey";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of(JerseyResourceMethodInstrumentation.INVOKER);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new JerseyResourceMethodInstrumentation());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of();
  }
}
