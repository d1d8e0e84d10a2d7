package dev.sketchtrace.agent.install;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The cheap check made before any (costly) type matching of a module: can this class loader see at
 * least one of the module's library marker classes? One resource lookup per marker, cached per class
 * loader (weakly, so the gate never keeps an application's loader alive).
 *
 * <p>Thread-safe: the cache is guarded by {@code lock}; a racing duplicate lookup is harmless.
 */
final class LibraryGate implements ElementMatcher<ClassLoader> {
  private final List<String> markerResources;
  private final Object lock = new Object();
  private final Map<ClassLoader, Boolean> cache = new WeakHashMap<>();
  private volatile Boolean bootstrapResult;

  LibraryGate(List<String> markerClasses) {
    this.markerResources = new java.util.ArrayList<>(markerClasses.size());
    for (String name : markerClasses) {
      markerResources.add(name.replace('.', '/') + ".class");
    }
  }

  @Override
  public boolean matches(ClassLoader loader) {
    if (markerResources.isEmpty()) {
      return true;
    }
    if (loader == null) {
      Boolean b = bootstrapResult;
      if (b == null) {
        b = visible(ClassLoader.getPlatformClassLoader());
        bootstrapResult = b;
      }
      return b;
    }
    synchronized (lock) {
      Boolean cached = cache.get(loader);
      if (cached != null) {
        return cached;
      }
    }
    boolean result = visible(loader);
    synchronized (lock) {
      cache.put(loader, result);
    }
    return result;
  }

  private boolean visible(ClassLoader loader) {
    for (String resource : markerResources) {
      try {
        if (loader.getResource(resource) != null) {
          return true;
        }
      } catch (RuntimeException e) {
        // A misbehaving application class loader counts as "library absent".
      }
    }
    return false;
  }
}
