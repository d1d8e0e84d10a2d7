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
   * {@code prepareStatement(String, ...)}/{@code prepareCall(String, ...)}: remembers the SQL for
   * the returned statement. Only the outermost call records (a pool's proxy connection returns its
   * proxy statement, which is what the app executes); a driver's overloads calling each other record
   * once.
   */
  public static final class Prepare {
    private Prepare() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
      return CallDepth.enter(CallDepth.JDBC_CONNECTION);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter int depth,
        @Advice.Argument(0) String sql,
        @Advice.Return Object statement) {
      CallDepth.exit(CallDepth.JDBC_CONNECTION);
      if (depth == 0 && statement != null) {
        JdbcStatements.prepared(statement, sql);
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

  /** {@code commit()}. */
  public static final class Commit {
    private Commit() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbClientSpan enter(
        @Advice.This Connection connection, @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context = ThreadContext.get();
      if (context.enter(CallDepth.JDBC_STATEMENT) != 0) {
        return null;
      }
      DbClientSpan span = new DbClientSpan(context.current());
      span.setSql("COMMIT");
      String url = JdbcConnections.url(connection);
      if (url == null) {
        try {
          url = connection.getMetaData().getURL();
        } catch (Throwable unreadable) {
          url = null;
        }
        JdbcConnections.remember(connection, url);
      }
      span.setConnectionUrl(url);
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

  /** {@code rollback()} and {@code rollback(Savepoint)}. */
  public static final class Rollback {
    private Rollback() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbClientSpan enter(
        @Advice.This Connection connection, @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context = ThreadContext.get();
      if (context.enter(CallDepth.JDBC_STATEMENT) != 0) {
        return null;
      }
      DbClientSpan span = new DbClientSpan(context.current());
      span.setSql("ROLLBACK");
      String url = JdbcConnections.url(connection);
      if (url == null) {
        try {
          url = connection.getMetaData().getURL();
        } catch (Throwable unreadable) {
          url = null;
        }
        JdbcConnections.remember(connection, url);
      }
      span.setConnectionUrl(url);
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
