package dev.sketchtrace.instrumentation.jdbc;

import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import java.sql.SQLException;

/**
 * What a finished {@link DbClientSpan} means: metric {@code db.client.operation.duration}, series by
 * {@code db.system}, {@code db.namespace}, {@code db.operation.name}, {@code db.collection.name},
 * {@code server.address}, {@code server.port} and the fingerprint {@code db.query.text} (the
 * sanitized SQL, also the ranking key, so the agent's top-K bounds it), and span attributes per the
 * database semantic conventions.
 *
 * <p>Not thread-safe: the folder thread alone calls it. The folder asks several questions of the same
 * event in a row, so the parsed URL and statement of the last event are memoized; across events,
 * both are cached (bounded LRU) by the identity-cheap raw strings.
 */
final class DbClientSpanMapper implements SpanMapper<DbClientSpan> {
  static final String METRIC = "db.client.operation.duration";

  private final SqlFingerprintCache fingerprints;
  private final LruCache<String, JdbcUrl> urls;

  private DbClientSpan lastEvent;
  private JdbcUrl lastUrl;
  private SqlStatementInfo lastStatement;

  DbClientSpanMapper(int maxQueryLength, int cacheSize) {
    this.fingerprints = new SqlFingerprintCache(new SqlSanitizer(maxQueryLength), cacheSize);
    this.urls = new LruCache<>(Math.max(cacheSize / 4, 16));
  }

  @Override
  public Class<DbClientSpan> eventType() {
    return DbClientSpan.class;
  }

  @Override
  public String metricName(DbClientSpan event) {
    return METRIC;
  }

  @Override
  public void seriesAttributes(DbClientSpan event, AttributeSink series) {
    load(event);
    series.put("db.system", lastUrl.system);
    series.put("db.namespace", lastUrl.namespace);
    series.put("db.operation.name", operationName(event));
    series.put("db.collection.name", lastStatement == null ? null : lastStatement.collection);
    series.put("server.address", lastUrl.host);
    if (lastUrl.port > 0) {
      series.put("server.port", (long) lastUrl.port);
    }
    // The fingerprint is part of the series: each statement gets its own latency sketch, and the
    // agent folds the series whose ranking key falls outside the top-K into one "other" series,
    // which is what bounds this attribute's cardinality.
    series.put("db.query.text", lastStatement == null ? null : lastStatement.queryText);
  }

  /** The fingerprint: sanitized SQL, or the operation alone when no SQL was seen. */
  @Override
  public String rankingKey(DbClientSpan event) {
    load(event);
    if (lastStatement != null) {
      return lastStatement.queryText;
    }
    return operationName(event);
  }

  @Override
  public String errorType(DbClientSpan event) {
    Throwable t = event.exception();
    if (t != null) {
      return t.getClass().getName();
    }
    return event.errorType();
  }

  /** {@code {operation} {collection}}, else {@code {operation} {namespace}}, else the operation, else the system. */
  @Override
  public String spanName(DbClientSpan event) {
    load(event);
    String operation = operationName(event);
    if (operation == null) {
      return lastUrl.namespace != null ? lastUrl.namespace : lastUrl.system;
    }
    String target = lastStatement != null && lastStatement.collection != null
        ? lastStatement.collection
        : lastUrl.namespace;
    return target == null ? operation : operation + " " + target;
  }

  @Override
  public void spanAttributes(DbClientSpan event, AttributeSink span) {
    seriesAttributes(event, span);
    if (event.batchSize() >= 2) {
      span.put("db.operation.batch.size", (long) event.batchSize());
    }
    Throwable t = event.exception();
    if (t instanceof SQLException) {
      String state = ((SQLException) t).getSQLState();
      span.put("db.response.status_code", state);
    }
  }

  /**
   * {@code db.operation.name}: the statement's verb; prefixed {@code BATCH } for a batch of two or
   * more executions of one text, or just {@code BATCH} for a batch mixing texts.
   */
  private String operationName(DbClientSpan event) {
    String operation = lastStatement == null ? null : lastStatement.operation;
    if (event.batchSize() >= 2) {
      return operation == null ? "BATCH" : "BATCH " + operation;
    }
    return operation;
  }

  private void load(DbClientSpan event) {
    if (event == lastEvent) {
      return;
    }
    String rawUrl = event.connectionUrl();
    JdbcUrl url = JdbcUrl.UNKNOWN;
    if (rawUrl != null && !rawUrl.isEmpty()) {
      url = urls.get(rawUrl);
      if (url == null) {
        url = JdbcUrl.parse(rawUrl);
        urls.put(rawUrl, url);
      }
    }
    String sql = event.sql();
    lastStatement = sql == null ? null : fingerprints.get(sql, SqlDialect.forSystem(url.system));
    lastUrl = url;
    lastEvent = event;
  }

  /** Distinct SQL texts sanitized so far (for tests: proves the cache works). */
  long sanitizedCount() {
    return fingerprints.sanitizedCount();
  }
}
