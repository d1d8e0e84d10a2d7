package dev.sketchtrace.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Collects the advice a {@link TypeInstrumentation} applies; implemented by the agent. */
public interface AdviceTarget {

  /**
   * Inlines the advice class named {@code adviceClassName} (a binary name, looked up as bytes in
   * the module's jar) into every method {@code methods} selects.
   */
  void advise(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
