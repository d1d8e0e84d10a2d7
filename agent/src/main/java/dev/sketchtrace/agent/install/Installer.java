package dev.sketchtrace.agent.install;

import dev.sketchtrace.agent.AgentLog;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the advice of the enabled instrumentation modules with Byte Buddy, in two steps so that
 * the costly one can leave the application's startup path:
 *
 * <ol>
 *   <li>{@link #prepare} (in {@code premain}, cheap): builds each module's gate and matchers and
 *       registers the agent's single {@link DeferredTransformer} with the JVM;
 *   <li>{@link #install} (on a background thread by default): builds one Byte Buddy {@code
 *       AgentBuilder} — loading and linking Byte Buddy is most of the agent's startup cost — and
 *       installs it behind the deferred transformer, retransforming the already loaded classes that
 *       match (JDK classes such as {@code HttpURLConnection}, and whatever loaded meanwhile).
 * </ol>
 *
 * <p>Matching: the agent's own classes, Byte Buddy's, reflection/loader/invoke internals and the
 * agent's class loader are ignored; classes of the bootstrap and platform loaders are only offered
 * to type instrumentations that declare {@link TypeInstrumentation#transformsLoadedClasses()} (the
 * JDK-targeting ones), so the JDK classes an application loads never reach hierarchy matchers. Each
 * module is gated on its library marker classes ({@link LibraryGate}) before its type matchers run.
 * Advice is inlined by class name, its bytes read from the agent's class loader, with the agent jar
 * as a further locator for the bootstrap classes it calls; a matched class is decorated (its
 * declared methods rewritten in place, no method graph of its hierarchy). Every transformed class's
 * module is made to read the bootstrap classes' unnamed module. A transformation error is logged
 * once at debug level and leaves the class unchanged (Byte Buddy's default on error).
 *
 * <p>Not thread-safe: {@code prepare} and then {@code install}, each called once.
 */
public final class Installer {
  /** Own packages: the agent's code, its modules and shaded libraries; never the benchmarks or tests. */
  private static final String[] IGNORED_PREFIXES = {
    "dev.sketchtrace.agent.",
    "dev.sketchtrace.bootstrap.",
    "dev.sketchtrace.instrumentation.",
    "dev.sketchtrace.launcher.",
    "dev.sketchtrace.shaded.",
    "dev.sketchtrace.api.",
    "dev.sketchtrace.sketch.",
    "net.bytebuddy.",
    "jdk.internal.reflect.",
    "sun.reflect.",
    "java.lang.invoke.",
    "jdk.internal.loader.",
  };

  private final Instrumentation instrumentation;
  private final ClassLoader agentLoader;
  private final File agentJar;
  private final List<Prepared> prepared = new ArrayList<>();
  private final List<ElementMatcher<TypeDescription>> jdkTypeMatchers = new ArrayList<>();
  private DeferredTransformer deferred;
  /** Created by {@link #install} (its Byte Buddy classes stay off the premain path). */
  private volatile SharedTypePools typePools;

  public Installer(Instrumentation instrumentation, ClassLoader agentLoader, File agentJar) {
    this.instrumentation = instrumentation;
    this.agentLoader = agentLoader;
    this.agentJar = agentJar;
  }

  /**
   * Builds the modules' matchers and registers the deferred transformer; returns the names of the
   * modules prepared. {@code maxWaitMillis} bounds how long a class that might be instrumented waits
   * for {@link #install} while loading.
   */
  public List<String> prepare(List<InstrumentationModule> modules, long maxWaitMillis) {
    List<String> names = new ArrayList<>();
    List<EarlyMatch> early = new ArrayList<>();
    List<TypeInstrumentation> allTypes = new ArrayList<>();
    List<LibraryGate> allGates = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      try {
        LibraryGate gate = new LibraryGate(module.libraryMarkerClasses());
        List<ElementMatcher<TypeDescription>> jdkMatchers = new ArrayList<>();
        List<Prepared> types = new ArrayList<>();
        for (TypeInstrumentation type : module.typeInstrumentations()) {
          ElementMatcher<TypeDescription> matcher = type.typeMatcher();
          types.add(new Prepared(module.name(), type, matcher, gate));
          if (type.transformsLoadedClasses()) {
            jdkMatchers.add(matcher);
          }
        }
        jdkTypeMatchers.addAll(jdkMatchers);
        early.add(new EarlyMatch(gate, jdkMatchers, module.libraryMarkerClasses()));
        prepared.addAll(types);
        for (Prepared p : types) {
          allTypes.add(p.type);
          allGates.add(gate);
        }
        names.add(module.name());
      } catch (Throwable t) {
        AgentLog.warn("instrumentation " + module.name() + " not installed: " + t);
      }
    }
    deferred = new DeferredTransformer(agentLoader, new DeclaredMethodFilter(allTypes, allGates), early,
        maxWaitMillis * 1_000_000L);
    instrumentation.addTransformer(deferred, true);
    return names;
  }

  /**
   * Builds and installs Byte Buddy behind the deferred transformer, then retransforms what loaded
   * unchanged in the meantime and matches. Call once, after {@link #prepare}, on any thread.
   */
  public void install() {
    deferred.installingOn(Thread.currentThread());
    long began = System.nanoTime();
    CapturingInstrumentation capturing = new CapturingInstrumentation(instrumentation, deferred);
    try {
      AgentBuilder builder = builder();
      ClassFileLocator jarLocator = ClassFileLocator.ForJarFile.of(agentJar);
      for (Prepared p : prepared) {
        try {
          builder = builder.type(p.matcher()).transform(adviceFor(p.type, jarLocator));
        } catch (Throwable t) {
          AgentLog.warn("instrumentation " + p.module + " not installed: " + t);
        }
      }
      long built = System.nanoTime();
      builder.installOn(capturing);
      long installedAt = System.nanoTime();
      int late = capturing.captured() ? retransformPassedClasses(capturing) : 0;
      AgentLog.debug("installed: Byte Buddy built in " + (built - began) / 1_000_000
          + " ms, installOn (with retransformation) " + (installedAt - built) / 1_000_000
          + " ms, " + late + " late classes rechecked in " + (System.nanoTime() - installedAt) / 1_000_000
          + " ms");
    } catch (Throwable t) {
      AgentLog.warn("instrumentation not installed: " + t);
    } finally {
      deferred.installationDone();
      deferred.passedClasses().close();
    }
  }

  /**
   * Classes let through unchanged while Byte Buddy was being built, but not yet loaded when Byte
   * Buddy listed the loaded classes (they were still being defined): offered to Byte Buddy now by
   * retransformation, which leaves a non-matching class unchanged.
   */
  private int retransformPassedClasses(CapturingInstrumentation capturing) {
    PassedClasses passed = deferred.passedClasses();
    for (Class<?> seen : capturing.discovered()) {
      passed.remove(seen);
    }
    capturing.discovered().clear();
    int count = 0;
    for (int attempt = 0; attempt < 5 && passed.size() > 0; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(20); // a class let through a moment ago may still be being defined
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      List<Class<?>> late = new ArrayList<>();
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (passed.remove(type) && instrumentation.isModifiableClass(type)) {
          late.add(type);
        }
      }
      for (Class<?> type : late) {
        try {
          instrumentation.retransformClasses(type);
          count++;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
          AgentLog.once("retransform:" + type.getName(), "could not instrument " + type.getName() + ": " + e);
        }
      }
    }
    return count;
  }

  /**
   * Drops the type descriptions cached for matching ({@link SharedTypePools}) when no class was
   * matched for {@code idleMillis}: they only pay while many classes load. Cheap; any thread.
   */
  public void clearIdleTypeCaches(long idleMillis) {
    SharedTypePools pools = typePools;
    if (pools != null) {
      pools.clearIfUnusedFor(idleMillis * 1_000_000L);
    }
  }

  private AgentBuilder.Transformer.ForAdvice adviceFor(
      TypeInstrumentation type, ClassFileLocator jarLocator) {
    // The shared pools also hold the advice classes' descriptions (and the JDK types they name),
    // per target loader: the default pool strategy would parse them again for every class advised.
    AgentBuilder.Transformer.ForAdvice[] advice = {
      new AgentBuilder.Transformer.ForAdvice()
          .with(typePools).include(agentLoader).include(jarLocator)
    };
    type.applyAdvice((methods, adviceClassName) -> advice[0] = advice[0].advice(methods, adviceClassName));
    return advice[0];
  }

  private AgentBuilder builder() {
    typePools = new SharedTypePools();
    // Advice only rewrites methods a class declares, so Byte Buddy needs neither the class's
    // inherited methods (a method graph over its whole hierarchy: parsing every super type's class
    // file) nor its full redefinition pipeline: the declared-methods compiler and a decorating type
    // strategy apply the advice visitors to the class file as it is.
    return new AgentBuilder.Default(new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
        .disableClassFormatChanges()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(typePools)
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // A class the JVM refuses to retransform must not spoil its batch (split and retry), and
        // must not uninstall the transformer (no error escalation): it is logged and stays unchanged.
        .with(new AgentBuilder.RedefinitionStrategy.Listener.Compound(
            AgentBuilder.RedefinitionStrategy.Listener.BatchReallocator.splitting(),
            new RetransformationErrors()))
        .with(new ErrorListener())
        .assureReadEdgeTo(instrumentation, JavaModule.ofType(SpanEvent.class))
        .ignore(new Ignored(agentLoader, Collections.unmodifiableList(new ArrayList<>(jdkTypeMatchers))));
  }

  /** One type instrumentation with its module's gate; JDK-loader classes only if it targets the JDK. */
  private static final class Prepared {
    final String module;
    final TypeInstrumentation type;
    final ElementMatcher<TypeDescription> typeMatcher;
    final LibraryGate gate;

    Prepared(String module, TypeInstrumentation type, ElementMatcher<TypeDescription> typeMatcher,
        LibraryGate gate) {
      this.module = module;
      this.type = type;
      this.typeMatcher = typeMatcher;
      this.gate = gate;
    }

    /** Cheapest first: loader kind, the module's gate, its type matcher, then the synthetic flag. */
    AgentBuilder.RawMatcher matcher() {
      boolean jdk = type.transformsLoadedClasses();
      return (typeDescription, classLoader, module, classBeingRedefined, protectionDomain) ->
          (jdk || !isJdkLoader(classLoader))
              && gate.matches(classLoader)
              && typeMatcher.matches(typeDescription)
              && !typeDescription.isSynthetic();
    }
  }

  static boolean isJdkLoader(ClassLoader loader) {
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }

  /**
   * The ignore matcher: the agent's own loader and packages, and every JDK-loader class that no
   * JDK-targeting type instrumentation names (those matchers are name-based, so this reads no class
   * file). Thread-safe: immutable.
   */
  private static final class Ignored implements AgentBuilder.RawMatcher {
    private final ClassLoader agentLoader;
    private final List<ElementMatcher<TypeDescription>> jdkTypeMatchers;

    Ignored(ClassLoader agentLoader, List<ElementMatcher<TypeDescription>> jdkTypeMatchers) {
      this.agentLoader = agentLoader;
      this.jdkTypeMatchers = jdkTypeMatchers;
    }

    @Override
    public boolean matches(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain) {
      if (classLoader == agentLoader) {
        return true;
      }
      String name = typeDescription.getName();
      for (String prefix : IGNORED_PREFIXES) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
      if (isJdkLoader(classLoader)) {
        for (ElementMatcher<TypeDescription> m : jdkTypeMatchers) {
          if (m.matches(typeDescription)) {
            return false;
          }
        }
        return true;
      }
      return false;
    }
  }

  /** Logs classes the JVM refused to retransform (a batch of one, after splitting). */
  private static final class RetransformationErrors
      extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
    @Override
    public Iterable<? extends List<Class<?>>> onError(
        int index, List<Class<?>> batch, Throwable throwable, List<Class<?>> types) {
      if (batch.size() == 1) {
        AgentLog.once("retransform:" + batch.get(0).getName(),
            "could not instrument " + batch.get(0).getName() + ": " + throwable);
      }
      return Collections.emptyList();
    }
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
