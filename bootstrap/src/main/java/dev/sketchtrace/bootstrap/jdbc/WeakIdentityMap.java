package dev.sketchtrace.bootstrap.jdbc;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map whose keys are compared by identity and held weakly, so remembering something
 * about a JDBC statement or connection never keeps it alive. Thread-safe: any thread may call any
 * method at any time (a {@link ConcurrentHashMap} underneath).
 *
 * <p>A lookup wraps the key in a short-lived {@link Probe}. Once the JIT has inlined the lookup into
 * its caller (the JDBC advice, on every query), escape analysis removes that object, so lookups
 * allocate nothing ({@code JdbcAdviceStepsBenchmark -prof gc} shows 0 B/op). The per-thread
 * reusable probe used before cost a thread-local lookup per call and a store of the app's object
 * into a long-lived one (with the collector's write barrier), then its clearing.
 *
 * <p>Entries whose key was collected are removed on the next {@link #put}. The map is bounded: once
 * {@code maxSize} live entries exist, further puts are ignored (the caller then simply knows less),
 * so a leak in the app (statements never closed) cannot grow the agent's memory without bound.
 */
final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final int maxSize;

  WeakIdentityMap(int maxSize) {
    this.maxSize = maxSize;
  }

  V get(Object key) {
    return map.get(new Probe(key));
  }

  /** Maps {@code key} to {@code value}, replacing any earlier value; ignored when the map is full. */
  void put(Object key, V value) {
    expungeCollected();
    if (map.size() >= maxSize) {
      return;
    }
    map.put(new WeakKey(key, collected), value);
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

  /** What a lookup passes: a strong stand-in for the key, compared by identity with stored keys. */
  private static final class Probe {
    private final Object key;
    private final int hash;

    Probe(Object key) {
      this.key = key;
      this.hash = System.identityHashCode(key);
    }

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
