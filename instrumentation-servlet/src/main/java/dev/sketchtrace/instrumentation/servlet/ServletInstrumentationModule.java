package dev.sketchtrace.instrumentation.servlet;

import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import dev.sketchtrace.instrumentation.api.InstrumentationConfig;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Server spans and {@code http.server.request.duration} for servlet containers — Tomcat, Jetty,
 * Spring Boot and anything else on {@code javax.servlet} (3.0–4.0) or {@code jakarta.servlet}
 * (5–6.1). Switched off by {@code otel.instrumentation.servlet.enabled=false}.
 *
 * <p>Configuration:
 *
 * <ul>
 *   <li>{@value #EXCLUDE}: comma-separated path globs, relative to the context path (e.g. {@code
 *       /health,/actuator/*}); matching requests get no span and no metric. Checked on the app
 *       thread before a span exists, so an excluded request costs one attribute read and the
 *       match.
 *   <li>{@value #REQUEST_HEADERS} / {@value #RESPONSE_HEADERS}: header names captured as {@code
 *       http.request.header.<name>} / {@code http.response.header.<name>} span attributes (the
 *       OpenTelemetry agent's keys); none by default.
 * </ul>
 */
public final class ServletInstrumentationModule implements InstrumentationModule {
  static final String EXCLUDE = "sketchtrace.servlet.exclude";
  static final String REQUEST_HEADERS = "otel.instrumentation.http.server.capture-request-headers";
  static final String RESPONSE_HEADERS = "otel.instrumentation.http.server.capture-response-headers";

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<String> libraryMarkerClasses() {
    return List.of("javax.servlet.Servlet", "jakarta.servlet.Servlet");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new ServletTypeInstrumentation(
            "javax.servlet", "dev.sketchtrace.instrumentation.servlet.javax.JavaxServiceAdvice"),
        new ServletTypeInstrumentation(
            "jakarta.servlet",
            "dev.sketchtrace.instrumentation.servlet.jakarta.JakartaServiceAdvice"));
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(new HttpServerSpanMapper());
  }

  @Override
  public void configure(InstrumentationConfig config) {
    ServletSettings.configure(
        config.getList(EXCLUDE, Collections.emptyList()),
        config.getList(REQUEST_HEADERS, Collections.emptyList()),
        config.getList(RESPONSE_HEADERS, Collections.emptyList()));
  }
}
