package dev.sketchtrace.agent.install;

import java.util.HashSet;
import java.util.Set;

/**
 * Classes the {@link DeferredTransformer} let load unchanged before Byte Buddy's transformer
 * existed, as (class loader, internal name). Only filled during installation and cleared after it,
 * so holding the loaders strongly for that moment is harmless.
 *
 * <p>Thread-safe: every access synchronizes on this object.
 */
final class PassedClasses {
  private final Set<Key> keys = new HashSet<>();
  private boolean closed;

  synchronized void add(ClassLoader loader, String internalName) {
    if (!closed) {
      keys.add(new Key(loader, internalName));
    }
  }

  /** Removes and answers whether {@code type} was let through. */
  synchronized boolean remove(Class<?> type) {
    return keys.remove(new Key(type.getClassLoader(), type.getName().replace('.', '/')));
  }

  synchronized int size() {
    return keys.size();
  }

  /** Stops recording and forgets what is left (classes that never finished loading). */
  synchronized void close() {
    closed = true;
    keys.clear();
  }

  private static final class Key {
    final ClassLoader loader;
    final String name;

    Key(ClassLoader loader, String name) {
      this.loader = loader;
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).loader == loader && ((Key) o).name.equals(name);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(loader) * 31 + name.hashCode();
    }
  }
}
