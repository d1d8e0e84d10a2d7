package dev.sketchtrace.instrumentation.jdbc;

/**
 * Sanitizes each distinct SQL text once: a prepared statement executed a million times hands the
 * folder the same {@code String} instance every time, whose hash is cached by the JDK and whose
 * {@code equals} is an identity check, so a hit costs a map lookup. Bounded (LRU); not thread-safe —
 * owned by the folder thread.
 */
final class SqlFingerprintCache {
  private final SqlSanitizer sanitizer;
  /** One cache per dialect: the same text may sanitize differently under different rules. */
  private final LruCache<String, SqlStatementInfo>[] byDialect;
  private long misses;

  @SuppressWarnings("unchecked")
  SqlFingerprintCache(SqlSanitizer sanitizer, int capacity) {
    this.sanitizer = sanitizer;
    SqlDialect[] dialects = SqlDialect.values();
    this.byDialect = new LruCache[dialects.length];
    for (int i = 0; i < dialects.length; i++) {
      byDialect[i] = new LruCache<>(capacity);
    }
  }

  SqlStatementInfo get(String sql, SqlDialect dialect) {
    LruCache<String, SqlStatementInfo> cache = byDialect[dialect.ordinal()];
    SqlStatementInfo info = cache.get(sql);
    if (info == null) {
      misses++;
      info = SqlStatementInfo.of(sanitizer.sanitize(sql, dialect));
      cache.put(sql, info);
    }
    return info;
  }

  /** How many texts were sanitized (cache misses) since creation. */
  long sanitizedCount() {
    return misses;
  }
}
