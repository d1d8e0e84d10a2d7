package dev.sketchtrace.bootstrap.jdbc;

import dev.sketchtrace.bootstrap.DbClientSpan;

/**
 * What the JDBC advice remembers per statement, keyed weakly by the statement object itself.
 * Thread-safe. Arguments are typed {@code Object}: the bootstrap loader cannot see {@code java.sql}
 * (a platform-loader module), so the advice, inlined into the driver's own classes, does the JDBC
 * calls and hands plain references here.
 *
 * <p>Why a weak identity map and not a field added to every statement class: a field cannot be
 * added to classes already loaded when the agent attaches (retransformation may not change the
 * shape of a class), and the agent's advice contract only inlines code. The map costs one lookup
 * per execute of a prepared statement (which also yields its connection's URL) and one insertion per
 * {@code prepareStatement}, both far below what the driver itself spends there.
 */
public final class JdbcStatements {
  /** Bounds the memory if an app leaks statements; past it, new statements run without SQL. */
  static final int MAX_STATEMENTS = 1 << 16;

  private static final WeakIdentityMap<StatementState> STATES =
      new WeakIdentityMap<>(MAX_STATEMENTS);

  private JdbcStatements() {}

  /**
   * Remembers the SQL a statement was prepared with ({@code prepareStatement}, {@code prepareCall})
   * and the URL of its connection (null if unknown).
   */
  public static void prepared(Object statement, String sql, String connectionUrl) {
    if (statement != null) {
      STATES.put(statement, new StatementState(sql, connectionUrl));
    }
  }

  /**
   * What is remembered about {@code statement} (its prepared SQL and connection URL), or null for a
   * plain statement without a batch, or one not seen. One lookup per execute of a prepared statement.
   */
  public static StatementState state(Object statement) {
    return STATES.get(statement);
  }

  /** {@code PreparedStatement.addBatch()}: one more set of parameters. */
  public static void addBatch(Object statement) {
    StatementState state = STATES.get(statement);
    if (state == null) {
      state = new StatementState(null, null);
      STATES.put(statement, state);
    }
    state.addBatch();
  }

  /** {@code Statement.addBatch(String)}: one more SQL text. */
  public static void addBatch(Object statement, String sql) {
    StatementState state = STATES.get(statement);
    if (state == null) {
      state = new StatementState(null, null);
      STATES.put(statement, state);
    }
    state.addBatch(sql);
  }

  public static void clearBatch(Object statement) {
    StatementState state = STATES.get(statement);
    if (state != null) {
      state.clearBatch();
    }
  }

  /**
   * {@code executeBatch}: puts the batch's SQL and size on {@code span} (when span is non-null, i.e.
   * this is the outermost call) and clears the batch, as the driver does.
   */
  public static void takeBatch(Object statement, DbClientSpan span) {
    StatementState state = STATES.get(statement);
    if (state == null) {
      return;
    }
    if (span != null) {
      span.setSql(state.batchSql());
      span.setBatchSize(state.batchSize());
    }
    state.clearBatch();
  }

  /** Statements currently remembered (best-effort; tests and self-metrics). */
  public static int size() {
    return STATES.size();
  }
}
