package dev.sketchtrace.instrumentation.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves a sample class with a servlet advice exactly as the agent would — the module's own type
 * and method matchers, the advice referenced by name — and loads it in a fresh child-first class
 * loader, without {@code -javaagent}.
 */
final class Weaver {
  private Weaver() {}

  static Object weave(Class<?> sample, ServletTypeInstrumentation instrumentation, String advice) {
    assertThat(instrumentation.typeMatcher().matches(TypeDescription.ForLoadedType.of(sample)))
        .as("type matcher selects %s", sample.getName())
        .isTrue();
    ClassLoader loader = Weaver.class.getClassLoader();
    ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(loader);
    TypeDescription adviceType = TypePool.Default.of(locator).describe(advice).resolve();
    try {
      return new ByteBuddy()
          .redefine(sample, locator)
          .visit(Advice.to(adviceType, locator).on(instrumentation.entryPoints()))
          .make()
          .load(loader, ClassLoadingStrategy.Default.CHILD_FIRST)
          .getLoaded()
          .getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
