package dev.sketchtrace.agent.install;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions shared between the class loads of one class loader, so that matching a class
 * against hierarchy matchers (a servlet, a JDBC statement) does not parse its super types' class
 * files again for every class that extends them — Byte Buddy's default pool strategy starts from an
 * empty cache per class load. While an application starts (thousands of classes sharing a few
 * framework base types) this is most of the agent's matching work. The advice transformers describe
 * their advice classes through the same pools, so an advice class is parsed once per class loader,
 * not once per class it is applied to.
 *
 * <p>Memory: one cache per class loader, held weakly by the loader (an undeployed web application's
 * loader is not kept alive) and softly by its descriptions (the GC may drop any cache under memory
 * pressure; it is then rebuilt on demand), and all of them are dropped once no class has been
 * matched for a while ({@link #clearIfUnusedFor}, called every export window): after startup classes
 * load rarely and the descriptions would only occupy heap.
 *
 * <p>Thread-safe: the map is guarded by {@code this}; each cache is a concurrent map.
 */
final class SharedTypePools extends AgentBuilder.PoolStrategy.WithTypePoolCache {
  private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();
  private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple.UsingSoftReference();
  private long lastUsedNanos = System.nanoTime();

  SharedTypePools() {
    super(TypePool.Default.ReaderMode.FAST);
  }

  @Override
  protected synchronized TypePool.CacheProvider locate(ClassLoader loader) {
    lastUsedNanos = System.nanoTime();
    if (loader == null) {
      return bootstrap;
    }
    TypePool.CacheProvider cache = byLoader.get(loader);
    if (cache == null) {
      cache = new TypePool.CacheProvider.Simple.UsingSoftReference();
      byLoader.put(loader, cache);
    }
    return cache;
  }

  /** Forgets every cached description if no class was matched for {@code idleNanos}. */
  synchronized boolean clearIfUnusedFor(long idleNanos) {
    if (System.nanoTime() - lastUsedNanos < idleNanos) {
      return false;
    }
    byLoader.clear();
    bootstrap.clear();
    return true;
  }
}
