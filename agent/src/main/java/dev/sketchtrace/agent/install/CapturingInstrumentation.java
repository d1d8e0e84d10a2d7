package dev.sketchtrace.agent.install;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The {@link Instrumentation} handed to Byte Buddy's {@code installOn}: everything goes to the JVM's
 * instrumentation, except that the transformer Byte Buddy registers becomes the delegate of the
 * already registered {@link DeferredTransformer} (so the JVM keeps exactly one agent transformer, and
 * classes that waited for installation are transformed by Byte Buddy), and the classes Byte Buddy
 * discovers for retransformation are remembered.
 *
 * <p>Used by the installing thread only, during {@code installOn}; not thread-safe beyond that.
 */
final class CapturingInstrumentation implements Instrumentation {
  private final Instrumentation jvm;
  private final DeferredTransformer deferred;
  private final Set<Class<?>> discovered = Collections.newSetFromMap(new IdentityHashMap<>());
  private ClassFileTransformer captured;

  CapturingInstrumentation(Instrumentation jvm, DeferredTransformer deferred) {
    this.jvm = jvm;
    this.deferred = deferred;
  }

  /** Classes Byte Buddy saw as loaded when it looked for classes to retransform. */
  Set<Class<?>> discovered() {
    return discovered;
  }

  boolean captured() {
    return captured != null;
  }

  @Override
  public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
    captured = transformer;
    deferred.delegateTo(transformer);
  }

  @Override
  public void addTransformer(ClassFileTransformer transformer) {
    addTransformer(transformer, false);
  }

  @Override
  public boolean removeTransformer(ClassFileTransformer transformer) {
    if (transformer != null && transformer == captured) {
      captured = null;
      deferred.delegateTo(null);
      return true;
    }
    return jvm.removeTransformer(transformer);
  }

  @Override
  public boolean isRetransformClassesSupported() {
    return jvm.isRetransformClassesSupported();
  }

  @Override
  public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
    jvm.retransformClasses(classes);
  }

  @Override
  public boolean isRedefineClassesSupported() {
    return jvm.isRedefineClassesSupported();
  }

  @Override
  public void redefineClasses(ClassDefinition... definitions)
      throws ClassNotFoundException, UnmodifiableClassException {
    jvm.redefineClasses(definitions);
  }

  @Override
  public boolean isModifiableClass(Class<?> type) {
    return jvm.isModifiableClass(type);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class[] getAllLoadedClasses() {
    Class[] all = jvm.getAllLoadedClasses();
    for (Class<?> type : all) {
      discovered.add(type);
    }
    return all;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class[] getInitiatedClasses(ClassLoader loader) {
    return jvm.getInitiatedClasses(loader);
  }

  @Override
  public long getObjectSize(Object object) {
    return jvm.getObjectSize(object);
  }

  @Override
  public void appendToBootstrapClassLoaderSearch(JarFile jar) {
    jvm.appendToBootstrapClassLoaderSearch(jar);
  }

  @Override
  public void appendToSystemClassLoaderSearch(JarFile jar) {
    jvm.appendToSystemClassLoaderSearch(jar);
  }

  @Override
  public boolean isNativeMethodPrefixSupported() {
    return jvm.isNativeMethodPrefixSupported();
  }

  @Override
  public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
    jvm.setNativeMethodPrefix(transformer, prefix);
  }

  @Override
  public void redefineModule(
      Module module,
      Set<Module> extraReads,
      Map<String, Set<Module>> extraExports,
      Map<String, Set<Module>> extraOpens,
      Set<Class<?>> extraUses,
      Map<Class<?>, List<Class<?>>> extraProvides) {
    jvm.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
  }

  @Override
  public boolean isModifiableModule(Module module) {
    return jvm.isModifiableModule(module);
  }
}
