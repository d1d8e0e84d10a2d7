package dev.sketchtrace.instrumentation.api;

import java.util.List;

/**
 * One instrumented library family (servlet, jdbc, an HTTP client), found by {@link
 * java.util.ServiceLoader}.
 *
 * <p>Switched off by {@code otel.instrumentation.<name>.enabled=false} or {@code
 * sketchtrace.instrumentation.<name>.enabled=false}. Before any type of a class loader is matched
 * against this module's (possibly costly) hierarchy matchers, the agent checks cheaply that the
 * loader can see at least one of {@link #libraryMarkerClasses()}.
 */
public interface InstrumentationModule {

  /** The switch name, e.g. {@code jdbc}, {@code servlet}, {@code okhttp}. Lowercase, dashes. */
  String name();

  /**
   * Binary class names of which at least one must be visible to a class loader for this module to
   * consider its types (e.g. {@code java.sql.Driver}). Empty means "always" — for JDK classes.
   */
  List<String> libraryMarkerClasses();

  /** Where the advice goes. */
  List<TypeInstrumentation> typeInstrumentations();

  /** What this module's events mean; run on the folder thread. */
  List<SpanMapper<?>> spanMappers();

  /** Called once by the agent, before installation, with the agent's configuration. */
  default void configure(InstrumentationConfig config) {}
}
