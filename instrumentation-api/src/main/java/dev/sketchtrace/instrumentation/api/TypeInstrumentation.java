package dev.sketchtrace.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice for the types one matcher selects.
 *
 * <p>Advice classes contain only static {@code @Advice.OnMethodEnter}/{@code OnMethodExit} methods
 * with {@code suppress = Throwable.class}; they are referenced by name (never as a class literal),
 * so they are only ever loaded as bytes to be inlined, and they may call nothing but the bootstrap
 * classes and the instrumented library's own API.
 */
public interface TypeInstrumentation {

  /** The types to transform. Prefer name-based matchers; hierarchy matchers cost startup. */
  ElementMatcher<TypeDescription> typeMatcher();

  /**
   * Whether the matched types may have been loaded before the agent (JDK classes such as {@code
   * java.net.HttpURLConnection}): the agent then retransforms them and makes their module read the
   * bootstrap classes.
   */
  default boolean transformsLoadedClasses() {
    return false;
  }

  /** Declares the advice for methods of a matched type. */
  void applyAdvice(AdviceTarget target);
}
