package dev.sketchtrace.instrumentation.jdbc;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.ThreadContext;
import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import dev.sketchtrace.bootstrap.jdbc.JdbcStatements;
import dev.sketchtrace.bootstrap.jdbc.StatementState;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into every {@link Statement} implementation (drivers, pools, wrappers). Referenced
 * by binary name only; the nested classes are never loaded, their bytecode is copied into the app's
 * classes, where it can call only the bootstrap classes and {@code java.sql}.
 *
 * <p>Every execute advice enters {@link CallDepth#JDBC_STATEMENT} and starts a span only at depth 0,
 * so a pool's proxy statement calling the driver's statement, a driver calling its own overloads,
 * and the {@code getMetaData().getURL()} read below all fold into the one outermost span. Exit advice
 * runs on normal and exceptional return alike and always leaves the depth. All advice suppresses
 * {@code Throwable} and never touches arguments, return values or exceptions.
 *
 * <p>The connection URL comes from {@link JdbcConnections#urlOf}: read once per connection and
 * remembered with the connection as a weak key, looked up on every later call. Only the {@code
 * getConnection()} call stays in the advice, where the JIT sees one statement class per call site;
 * a statement that cannot name its connection (closed) still gets its span, without a URL. One
 * advice serves every execute with or without SQL, and the batch advice differs only in where its
 * SQL and size come from.
 *
 * <p>The thread's {@link ThreadContext} is looked up once, on enter, and kept in an advice local for
 * the exit: one thread-local lookup per query instead of five (depth in and out, current span read,
 * attach, put back). On exit the previous span is put back with {@code attach(previous)}: with no
 * enclosing span that sets null and keeps the thread-local entry for the next query.
 */
public final class StatementAdvice {
  private StatementAdvice() {}

  /**
   * {@code execute/executeQuery/executeUpdate/executeLargeUpdate}: with the SQL as first argument
   * (plain statements), or without arguments (prepared and callable statements), whose SQL and
   * connection URL were remembered at {@code prepareStatement}: the optional binding is null for
   * those, and one lookup of the statement's state replaces the connection's.
   */
  public static final class Execute {
    private Execute() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbClientSpan enter(
        @Advice.This Statement statement,
        @Advice.Argument(value = 0, optional = true) String sql,
        @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context = ThreadContext.get();
      if (context.enter(CallDepth.JDBC_STATEMENT) != 0) {
        return null;
      }
      DbClientSpan span = new DbClientSpan(context.current());
      String text = sql;
      String url = null;
      if (text == null) {
        StatementState state = JdbcStatements.state(statement);
        if (state != null) {
          text = state.preparedSql();
          url = state.connectionUrl();
        }
      }
      span.setSql(text);
      if (url == null) { // a plain statement, or one prepared before its connection's URL was known
        try {
          url = JdbcConnections.urlOf(statement.getConnection());
        } catch (Throwable closed) {
          url = null;
        }
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

  /** {@code executeBatch()/executeLargeBatch()}: the batch's SQL and size, then the batch is cleared. */
  public static final class ExecuteBatch {
    private ExecuteBatch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbClientSpan enter(
        @Advice.This Statement statement, @Advice.Local("previous") SpanEvent previous,
        @Advice.Local("context") ThreadContext context) {
      context = ThreadContext.get();
      if (context.enter(CallDepth.JDBC_STATEMENT) != 0) {
        // An inner statement's own batch counter is reset too, so it never carries over.
        JdbcStatements.takeBatch(statement, null);
        return null;
      }
      DbClientSpan span = new DbClientSpan(context.current());
      JdbcStatements.takeBatch(statement, span);
      String url;
      try {
        url = JdbcConnections.urlOf(statement.getConnection());
      } catch (Throwable closed) {
        url = null;
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

  /** {@code PreparedStatement.addBatch()}. Counted on exit, only when the driver accepted it. */
  public static final class AddBatch {
    private AddBatch() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object statement, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        JdbcStatements.addBatch(statement);
      }
    }
  }

  /** {@code Statement.addBatch(String sql)}. */
  public static final class AddBatchSql {
    private AddBatchSql() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This Object statement,
        @Advice.Argument(0) String sql,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        JdbcStatements.addBatch(statement, sql);
      }
    }
  }

  /** {@code clearBatch()}. */
  public static final class ClearBatch {
    private ClearBatch() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
      JdbcStatements.clearBatch(statement);
    }
  }
}
