package dev.sketchtrace.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.sketchtrace.agent.AgentLog;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the advice of the enabled instrumentation modules with Byte Buddy.
 *
 * <p>Each module is gated on its library marker classes ({@link LibraryGate}) before its type
 * matchers run; the agent's own classes, Byte Buddy's, synthetic classes and the agent's class
 * loader are ignored. Advice is inlined by class name, its bytes read from the agent's class loader,
 * with the agent jar as a further locator for the bootstrap classes it calls. Type instrumentations
 * of classes that may be loaded already ({@link TypeInstrumentation#transformsLoadedClasses()}) go
 * into a second builder that retransforms. Every transformed class's module is made to read the
 * bootstrap classes' unnamed module. A transformation error is logged once at debug level and
 * leaves the class unchanged (Byte Buddy's default on error).
 */
public final class Installer {
  private final Instrumentation instrumentation;
  private final ClassLoader agentLoader;
  private final ClassFileLocator jarLocator;

  public Installer(Instrumentation instrumentation, ClassLoader agentLoader, File agentJar)
      throws IOException {
    this.instrumentation = instrumentation;
    this.agentLoader = agentLoader;
    this.jarLocator = ClassFileLocator.ForJarFile.of(agentJar);
  }

  /** Installs the modules; returns the names of those installed. */
  public List<String> install(List<InstrumentationModule> modules) {
    AgentBuilder atLoad = builder();
    AgentBuilder retransforming =
        builder()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_LAST);
    boolean anyAtLoad = false;
    boolean anyRetransforming = false;
    List<String> installed = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      try {
        LibraryGate gate = new LibraryGate(module.libraryMarkerClasses());
        for (TypeInstrumentation type : module.typeInstrumentations()) {
          AgentBuilder.Transformer.ForAdvice advice = adviceFor(type);
          if (type.transformsLoadedClasses()) {
            retransforming = retransforming.type(type.typeMatcher(), gate).transform(advice);
            anyRetransforming = true;
          } else {
            atLoad = atLoad.type(type.typeMatcher(), gate).transform(advice);
            anyAtLoad = true;
          }
        }
        installed.add(module.name());
      } catch (Throwable t) {
        AgentLog.warn("instrumentation " + module.name() + " not installed: " + t);
      }
    }
    long began = System.nanoTime();
    if (anyAtLoad) {
      atLoad.installOn(instrumentation);
    }
    long atLoadDone = System.nanoTime();
    if (anyRetransforming) {
      try {
        retransforming.installOn(instrumentation);
      } catch (Throwable t) {
        // FAIL_LAST reports retransformation failures at the end; the classes stay unchanged.
        AgentLog.debug("retransformation of already loaded classes failed", t);
      }
    }
    AgentLog.debug("installed: load-time transformer in " + (atLoadDone - began) / 1_000_000
        + " ms, retransforming transformer in " + (System.nanoTime() - atLoadDone) / 1_000_000 + " ms");
    return installed;
  }

  private AgentBuilder.Transformer.ForAdvice adviceFor(TypeInstrumentation type) {
    AgentBuilder.Transformer.ForAdvice[] advice = {
      new AgentBuilder.Transformer.ForAdvice().include(agentLoader).include(jarLocator)
    };
    type.applyAdvice((methods, adviceClassName) -> advice[0] = advice[0].advice(methods, adviceClassName));
    return advice[0];
  }

  private AgentBuilder builder() {
    ElementMatcher.Junction<TypeDescription> ownTypes =
        nameStartsWith("dev.sketchtrace.")
            .or(nameStartsWith("net.bytebuddy."))
            .or(nameStartsWith("jdk.internal.reflect."))
            .or(nameStartsWith("sun.reflect."))
            .or(nameStartsWith("java.lang.invoke."))
            .or(nameStartsWith("jdk.internal.loader."))
            .or(isSynthetic());
    return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(new ErrorListener())
        .assureReadEdgeTo(instrumentation, JavaModule.ofType(SpanEvent.class))
        .ignore(ownTypes)
        .or(any(), is(agentLoader));
  }

  /** Logs each failed type once, at debug level; Byte Buddy leaves the class unchanged. */
  private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      AgentLog.once("transform:" + typeName, "could not instrument " + typeName + ": " + throwable);
    }

    @Override
    public void onTransformation(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      AgentLog.debug("instrumented " + typeDescription.getName());
    }
  }
}
