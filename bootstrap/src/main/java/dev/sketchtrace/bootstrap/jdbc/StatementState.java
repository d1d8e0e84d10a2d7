package dev.sketchtrace.bootstrap.jdbc;

/**
 * What the advice remembers about one JDBC statement between calls: the SQL it was prepared with,
 * the URL of the connection it belongs to, and the batch being built with {@code addBatch}.
 *
 * <p>Not thread-safe, on purpose: JDBC statements are used by one thread at a time, and an app that
 * hands a statement to another thread does so with its own synchronization, which also publishes
 * these fields.
 */
public final class StatementState {
  /** The SQL given to {@code prepareStatement}/{@code prepareCall}; null for a plain statement. */
  final String preparedSql;
  /**
   * The connection's URL as {@link JdbcConnections} knows it, read at {@code prepareStatement}: a
   * statement never changes connection, so an execute needs no second lookup. Null when unknown.
   */
  final String connectionUrl;

  private int batchSize;
  /** For plain statements: the SQL of the batch's first {@code addBatch(String)}. */
  private String batchSql;
  /** Whether the plain statement's batch holds different SQL texts. */
  private boolean mixedBatch;

  StatementState(String preparedSql, String connectionUrl) {
    this.preparedSql = preparedSql;
    this.connectionUrl = connectionUrl;
  }

  /** The SQL given to {@code prepareStatement}/{@code prepareCall}; null for a plain statement. */
  public String preparedSql() {
    return preparedSql;
  }

  /** The URL of the statement's connection, {@link JdbcConnections#UNKNOWN}, or null if not known. */
  public String connectionUrl() {
    return connectionUrl;
  }

  void addBatch() {
    batchSize++;
  }

  void addBatch(String sql) {
    if (batchSize == 0) {
      batchSql = sql;
    } else if (!mixedBatch && (sql == null || !sql.equals(batchSql))) {
      mixedBatch = true;
    }
    batchSize++;
  }

  int batchSize() {
    return batchSize;
  }

  /** The one SQL text of the batch, or null when it mixes texts or none was given. */
  String batchSql() {
    return preparedSql != null ? preparedSql : mixedBatch ? null : batchSql;
  }

  void clearBatch() {
    batchSize = 0;
    batchSql = null;
    mixedBatch = false;
  }
}
