package dev.sketchtrace.instrumentation.jdbc;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.ThreadContext;
import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import dev.sketchtrace.bootstrap.jdbc.JdbcStatements;
import java.sql.Connection;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into every {@link Connection} implementation. Same rules as {@link
 * StatementAdvice}: referenced by name, suppresses {@code Throwable}, changes nothing.
 *
 * <p>{@code commit}/{@code rollback} are recorded as short {@link DbClientSpan}s whose SQL is the
 * bare word {@code COMMIT}/{@code ROLLBACK}: they then count, time and rank exactly like any
 * statement (operation name {@code COMMIT}/{@code ROLLBACK}) with no new event type or counter in
 * the agent. They use the statement depth guard, so a pool delegating to the driver, or a driver
 * that commits by executing {@code COMMIT} through its own statement, yields one span. The thread
 * context is looked up once per call and the previous span put back with {@code attach}, as in
 * {@link StatementAdvice}.
 */
public final class ConnectionAdvice {
  private ConnectionAdvice() {}

  /**
   * {@code prepareStatement(String, ...)}/{@code prepareCall(String, ...)}: remembers the SQL and the
   * connection's URL (read here if this connection is new) for the returned statement, so that its
   * executes need one lookup, not two. Only the outermost call records (a pool's proxy connection
   * returns its proxy statement, which is what the app executes); a driver's overloads calling each
   * other record once.
   *
   * <p>A prepare that throws (a syntax error or a missing table on a driver that prepares on the
   * server, as H2 does) never reaches an execute, so it gets its span here: the SQL, the connection
   * and the exception, timed from the clock read on enter. Exactly one: only the outermost prepare
   * records it, and none is recorded inside a statement or commit (a driver preparing internally
   * while executing fails that execute, whose span already has the exception). A prepare that
   * succeeds costs one clock read and creates no span, so it takes nothing from the sampler's
   * budget of traces.
   */
  public static final class Prepare {
    private Prepare() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(
        @Advice.Local("context") ThreadContext context, @Advice.Local("start") long start) {
      context = ThreadContext.get();
      start = System.nanoTime();
      return context.enter(CallDepth.JDBC_CONNECTION);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter int depth,
        @Advice.This Connection connection,
        @Advice.Argument(0) String sql,
        @Advice.Return Object statement,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("context") ThreadContext context,
        @Advice.Local("start") long start) {
      context.exit(CallDepth.JDBC_CONNECTION);
      if (depth != 0) {
        return;
      }
      boolean failed = thrown != null && context.depth(CallDepth.JDBC_STATEMENT) == 0;
      if (statement == null && !failed) {
        return;
      }
      String url = JdbcConnections.urlOf(connection);
      if (statement != null) {
        JdbcStatements.prepared(statement, sql, url);
      }
      if (failed) {
        DbClientSpan span = new DbClientSpan(context.current(), start);
        span.setSql(sql);
        span.setConnectionUrl(url);
        span.recordException(thrown);
        span.end();
      }
    }
  }

  /**
   * Connection housekeeping ({@code setAutoCommit}, {@code getTransactionIsolation}, {@code
   * isValid}, {@code getMetaData}, ...): no span of its own, but the statement depth is entered so
   * that queries a driver runs to implement it (MariaDB reads {@code SELECT @@session.tx_isolation},
   * PostgreSQL and H2 commit inside {@code setAutoCommit(true)}) yield no span either. The app sees
   * one span per statement it ran, the same on every driver, and a pool's validation and reset calls
   * add none.
   */
  public static final class Housekeeping {
    private Housekeeping() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      CallDepth.enter(CallDepth.JDBC_STATEMENT);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      CallDepth.exit(CallDepth.JDBC_STATEMENT);
    }
  }

  /**
   * {@code commit()}, {@code rollback()} and {@code rollback(Savepoint)}: the span's SQL is the
   * method's name as a statement, {@code COMMIT} or {@code ROLLBACK}.
   */
  public static final class EndTransaction {
    private EndTransaction() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbClientSpan enter(
        @Advice.This Connection connection,
        @Advice.Origin("#m") String method,
        @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context = ThreadContext.get();
      if (context.enter(CallDepth.JDBC_STATEMENT) != 0) {
        return null;
      }
      DbClientSpan span = new DbClientSpan(context.current());
      span.setSql(method.equals("commit") ? "COMMIT" : "ROLLBACK");
      span.setConnectionUrl(JdbcConnections.urlOf(connection));
      previous = context.attach(span);
      return span;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter DbClientSpan span,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context.exit(CallDepth.JDBC_STATEMENT);
      if (span != null) {
        context.attach(previous);
        span.recordException(thrown);
        span.end();
      }
    }
  }
}
