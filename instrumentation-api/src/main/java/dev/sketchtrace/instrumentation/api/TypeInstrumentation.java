package dev.sketchtrace.instrumentation.api;

import java.util.List;
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

  /**
   * The names of every method {@link #applyAdvice} can advise ({@code <init>} for constructors), or
   * an empty list (the default) when they cannot be listed.
   *
   * <p>Advice only ever applies to methods a class declares itself, so a class whose class file
   * declares none of these names needs nothing from this instrumentation. The agent reads the
   * declared method names straight from the class file and hands only the classes that declare one
   * of them to {@link #typeMatcher()}: the thousands of framework classes that merely mention a
   * library's types never reach a (costly) hierarchy matcher. A name missing here means that
   * method is never advised, so list every name the advice matchers can select.
   */
  default List<String> adviceMethodNames() {
    return List.of();
  }

  /** Declares the advice for methods of a matched type. */
  void applyAdvice(AdviceTarget target);
}
