package dev.sketchtrace.bootstrap.jdbc;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map whose keys are compared by identity and held weakly, so remembering something
 * about a JDBC statement or connection never keeps it alive. Thread-safe: any thread may call any
 * method at any time (a {@link ConcurrentHashMap} underneath).
 *
 * <p>Lookups allocate nothing: they go through a per-thread reusable probe key. Entries whose key
 * was collected are removed on the next {@link #put}. The map is bounded: once {@code maxSize} live
 * entries exist, further puts are ignored (the caller then simply knows less), so a leak in the app
 * (statements never closed) cannot grow the agent's memory without bound.
 */
final class WeakIdentityMap<V> {
  private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::new);

  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final int maxSize;

  WeakIdentityMap(int maxSize) {
    this.maxSize = maxSize;
  }

  V get(Object key) {
    Probe probe = PROBE.get();
    probe.key = key;
    probe.hash = System.identityHashCode(key);
    try {
      return map.get(probe);
    } finally {
      probe.key = null; // never keep the app's object reachable from a thread
    }
  }

  /** Maps {@code key} to {@code value}, replacing any earlier value; ignored when the map is full. */
  void put(Object key, V value) {
    expungeCollected();
    if (map.size() >= maxSize) {
      return;
    }
    map.put(new WeakKey(key, collected), value);
  }

  void remove(Object key) {
    Probe probe = PROBE.get();
    probe.key = key;
    probe.hash = System.identityHashCode(key);
    try {
      map.remove(probe);
    } finally {
      probe.key = null;
    }
  }

  /** Live and not yet expunged entries (best-effort, for tests and self-metrics). */
  int size() {
    expungeCollected();
    return map.size();
  }

  private void expungeCollected() {
    Object stale;
    while ((stale = collected.poll()) != null) {
      map.remove(stale); // a WeakKey equals itself by identity even after its referent is gone
    }
  }

  /** What is stored: the key held weakly, with its identity hash remembered for removal. */
  private static final class WeakKey extends WeakReference<Object> {
    private final int hash;

    WeakKey(Object key, ReferenceQueue<Object> queue) {
      super(key, queue);
      this.hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      if (other instanceof WeakKey) {
        Object referent = get();
        return referent != null && referent == ((WeakKey) other).get();
      }
      if (other instanceof Probe) {
        Object referent = get();
        return referent != null && referent == ((Probe) other).key;
      }
      return false;
    }
  }

  /** What a lookup passes: a strong, reusable stand-in compared by identity with stored keys. */
  private static final class Probe {
    Object key;
    int hash;

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WeakKey && key != null && ((WeakKey) other).get() == key;
    }
  }
}
