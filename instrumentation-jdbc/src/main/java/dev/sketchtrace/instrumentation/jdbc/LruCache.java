package dev.sketchtrace.instrumentation.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry past {@code capacity}. Not thread-safe: each
 * instance belongs to the folder thread.
 */
final class LruCache<K, V> {
  private final LinkedHashMap<K, V> map;

  LruCache(int capacity) {
    int bounded = Math.max(capacity, 1);
    this.map =
        new LinkedHashMap<K, V>(Math.min(bounded, 1024), 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > bounded;
          }
        };
  }

  V get(K key) {
    return map.get(key);
  }

  void put(K key, V value) {
    map.put(key, value);
  }

  int size() {
    return map.size();
  }
}
