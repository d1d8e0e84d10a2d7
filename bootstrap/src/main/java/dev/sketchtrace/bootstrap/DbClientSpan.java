package dev.sketchtrace.bootstrap;

/**
 * One database statement executed through JDBC. The advice records references only — the raw SQL
 * and the connection URL; sanitizing, fingerprinting and URL parsing happen on the folder thread.
 * The raw URL may hold credentials and the raw SQL literals: neither is ever exported as is.
 */
public final class DbClientSpan extends SpanEvent {
  private String sql;
  private String connectionUrl;
  private String user;
  /** Statements in the batch, or 0 when this was not a batch. */
  private int batchSize;

  public DbClientSpan(SpanEvent parent) {
    super(parent);
  }

  /** A span that started at {@code startNanoTime}: see {@link SpanEvent#SpanEvent(SpanEvent, long)}. */
  public DbClientSpan(SpanEvent parent, long startNanoTime) {
    super(parent, startNanoTime);
  }

  @Override
  public SpanKind kind() {
    return SpanKind.CLIENT;
  }

  public String sql() {
    return sql;
  }

  public void setSql(String sql) {
    this.sql = sql;
  }

  public String connectionUrl() {
    return connectionUrl;
  }

  public void setConnectionUrl(String connectionUrl) {
    this.connectionUrl = connectionUrl;
  }

  public String user() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public int batchSize() {
    return batchSize;
  }

  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }
}
