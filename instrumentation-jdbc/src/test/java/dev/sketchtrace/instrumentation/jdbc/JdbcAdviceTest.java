package dev.sketchtrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import dev.sketchtrace.bootstrap.jdbc.JdbcStatements;
import dev.sketchtrace.instrumentation.api.AdviceTarget;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The module's real type matchers and advice, applied by Byte Buddy (without {@code -javaagent}) to
 * a tiny fake driver and a pool-like wrapper generated here and loaded in fresh class loaders. The
 * fake driver calls itself the way real ones do: {@code executeQuery()} calls {@code execute()},
 * {@code getMetaData()} runs a query, {@code commit()} executes {@code COMMIT}.
 */
class JdbcAdviceTest {
  static final String URL = "jdbc:postgresql://db.example:5433/shop?password=hunter2";
  static final SQLException FAILURE = new SQLException("relation \"missing\" does not exist", "42P01");

  private static final ClassFileLocator LOCATOR =
      ClassFileLocator.ForClassLoader.of(JdbcAdviceTest.class.getClassLoader());
  private static final TypePool POOL = TypePool.Default.of(LOCATOR);
  private static final AtomicInteger CLASS_COUNTER = new AtomicInteger();

  // Per-instance state of the fake objects, keyed by identity (the generated classes have no fields).
  final Map<Object, Object> ownerConnection = Collections.synchronizedMap(new IdentityHashMap<>());
  final Map<Object, Object> delegateOf = Collections.synchronizedMap(new IdentityHashMap<>());
  final Map<Object, String> driverSql = Collections.synchronizedMap(new IdentityHashMap<>());
  final Map<Object, Integer> driverBatch = Collections.synchronizedMap(new IdentityHashMap<>());
  final List<String> driverExecuted = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger metadataCalls = new AtomicInteger();
  final AtomicInteger statementConnectionCalls = new AtomicInteger();
  volatile SpanEvent currentDuringExecute;
  volatile boolean metadataFails;

  Class<?> driverStatement;
  Class<?> driverConnection;
  Class<?> poolStatement;
  Class<?> poolConnection;

  @BeforeEach
  void setUp() throws Exception {
    EventQueue.install(1024);
    JdbcConnections.readUrlsWith(new MetadataUrlReader()); // what the module does when configured
    driverStatement = fake("com.example.fakedriver.FakeStatement", PreparedStatement.class,
        this::driverStatement, new StatementInstrumentation());
    driverConnection = fake("com.example.fakedriver.FakeConnection", Connection.class,
        this::driverConnection, new ConnectionInstrumentation());
    poolStatement = fake("com.example.fakepool.ProxyStatement", PreparedStatement.class,
        this::poolStatement, new StatementInstrumentation());
    poolConnection = fake("com.example.fakepool.ProxyConnection", Connection.class,
        this::poolConnection, new ConnectionInstrumentation());
  }

  @Test
  void plainStatementYieldsOneSpanPerQueryWithSqlAndUrlReadOncePerConnection() throws Exception {
    Connection connection = newDriverConnection();
    Statement statement = connection.createStatement();

    statement.executeQuery("SELECT * FROM owners WHERE id = 7");
    int updated = statement.executeUpdate("UPDATE owners SET name = 'x'");

    assertThat(updated).isEqualTo(5); // return values pass through unchanged
    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::sql)
        .containsExactly("SELECT * FROM owners WHERE id = 7", "UPDATE owners SET name = 'x'");
    assertThat(spans).extracting(DbClientSpan::connectionUrl).containsOnly(URL);
    assertThat(spans).allSatisfy(s -> assertThat(s.isEnded()).isTrue());
    assertThat(spans).allSatisfy(s -> assertThat(s.kind()).isEqualTo(SpanKind.CLIENT));
    // getMetaData ran once, and the query the driver ran inside it yielded no span
    assertThat(metadataCalls).hasValue(1);
    assertThat(driverExecuted).hasSize(3);
  }

  @Test
  void aConnectionWhoseUrlCannotBeReadIsAskedOnceAndItsQueriesStillRun() throws Exception {
    metadataFails = true;
    Connection connection = newDriverConnection();
    Statement statement = connection.createStatement();

    statement.executeQuery("SELECT 1");
    statement.executeQuery("SELECT 2");
    connection.commit();

    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::sql).containsExactly("SELECT 1", "SELECT 2", "COMMIT");
    assertThat(spans).extracting(DbClientSpan::connectionUrl).containsOnly(JdbcConnections.UNKNOWN);
    assertThat(spans).allSatisfy(s -> assertThat(s.exception()).isNull());
    assertThat(metadataCalls).hasValue(1);
  }

  @Test
  void preparedStatementCallingItselfYieldsOneSpanWithThePreparedSql() throws Exception {
    Connection connection = newDriverConnection();
    PreparedStatement statement = connection.prepareStatement("SELECT * FROM owners WHERE id = ?");

    statement.executeQuery(); // the fake driver's executeQuery() calls its own execute()

    List<DbClientSpan> spans = drain();
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).sql()).isEqualTo("SELECT * FROM owners WHERE id = ?");
    assertThat(spans.get(0).batchSize()).isZero();
  }

  @Test
  void aPreparedStatementsExecutesUseTheUrlReadAtPrepare() throws Exception {
    Connection connection = newDriverConnection();
    PreparedStatement statement = connection.prepareStatement("SELECT * FROM owners WHERE id = ?");
    statement.executeQuery();
    statement.executeUpdate();

    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::connectionUrl).containsExactly(URL, URL);
    assertThat(metadataCalls).hasValue(1);
    // one lookup of the statement's state per execute; the statement's connection is never asked
    assertThat(statementConnectionCalls).hasValue(0);
  }

  @Test
  void batchesCountAddBatchAndStartAfreshAfterExecute() throws Exception {
    Connection connection = newDriverConnection();
    PreparedStatement prepared = connection.prepareStatement("INSERT INTO items (id) VALUES (?)");
    prepared.addBatch();
    prepared.addBatch();
    prepared.addBatch();
    int[] counts = prepared.executeBatch();
    prepared.executeBatch();

    Statement plain = connection.createStatement();
    plain.addBatch("DELETE FROM a");
    plain.addBatch("DELETE FROM a");
    plain.executeBatch();
    plain.addBatch("DELETE FROM a");
    plain.addBatch("DELETE FROM b");
    plain.executeBatch();
    plain.addBatch("DELETE FROM c");
    plain.clearBatch();
    plain.executeBatch();

    assertThat(counts).hasSize(3);
    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::batchSize).containsExactly(3, 0, 2, 2, 0);
    assertThat(spans).extracting(DbClientSpan::sql)
        .containsExactly("INSERT INTO items (id) VALUES (?)", "INSERT INTO items (id) VALUES (?)",
            "DELETE FROM a", null, null);
  }

  @Test
  void aDriverExceptionReachesTheAppUnchangedAndIsRecorded() throws Exception {
    Statement statement = newDriverConnection().createStatement();

    assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM missing FAIL")).isSameAs(FAILURE);
    statement.executeQuery("SELECT 1"); // the depth guard was left balanced by the failure

    List<DbClientSpan> spans = drain();
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).exception()).isSameAs(FAILURE);
    assertThat(spans.get(1).exception()).isNull();
  }

  @Test
  void aPrepareTheDriverRefusesYieldsExactlyOneFailedSpanThroughAPool() throws Exception {
    Connection pooled = newPoolConnection(newDriverConnection());
    CustomSpan request = new CustomSpan(null, "request", SpanKind.SERVER);
    SpanEvent previous = CurrentSpan.attach(request);
    try {
      assertThatThrownBy(() -> pooled.prepareStatement("SELEC name FROM owners WHERE id = 7 FAIL"))
          .isSameAs(FAILURE);
      pooled.prepareStatement("SELECT name FROM owners WHERE id = ?"); // succeeds: no span
      assertThat(CurrentSpan.get()).isSameAs(request);
    } finally {
      CurrentSpan.restore(previous);
    }

    List<DbClientSpan> spans = drain();
    assertThat(spans).hasSize(1);
    DbClientSpan failed = spans.get(0);
    assertThat(failed.sql()).isEqualTo("SELEC name FROM owners WHERE id = 7 FAIL");
    assertThat(failed.exception()).isSameAs(FAILURE);
    assertThat(failed.connectionUrl()).isEqualTo(URL);
    assertThat(failed.parentSpanId()).isEqualTo(request.spanId());
    assertThat(failed.durationNanos()).isNotNegative();
    assertThat(failed.isEnded()).isTrue();
    // the driver's query inside getMetaData, run to read the URL, yielded no span either
    assertThat(metadataCalls).hasValue(1);
  }

  @Test
  void aPoolProxyAroundTheDriverYieldsOneSpanForTheRealStatement() throws Exception {
    Connection pooled = newPoolConnection(newDriverConnection());
    PreparedStatement statement = pooled.prepareStatement("UPDATE stock SET n = n - ? WHERE id = ?");
    statement.executeUpdate();
    Statement plain = pooled.createStatement();
    plain.execute("SELECT 2");

    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::sql)
        .containsExactly("UPDATE stock SET n = n - ? WHERE id = ?", "SELECT 2");
    assertThat(spans).extracting(DbClientSpan::connectionUrl).containsOnly(URL);
    assertThat(driverExecuted).contains("UPDATE stock SET n = n - ? WHERE id = ?", "SELECT 2");
  }

  @Test
  void commitAndRollbackAreOneSpanEachEvenWhenTheDriverExecutesCommitItself() throws Exception {
    Connection connection = newPoolConnection(newDriverConnection());
    connection.commit();
    connection.rollback();

    List<DbClientSpan> spans = drain();
    assertThat(spans).extracting(DbClientSpan::sql).containsExactly("COMMIT", "ROLLBACK");
    assertThat(driverExecuted).contains("COMMIT");
  }

  @Test
  void queriesADriverRunsForConnectionHousekeepingYieldNoSpan() throws Exception {
    Connection connection = newPoolConnection(newDriverConnection());
    connection.setAutoCommit(true);
    int isolation = connection.getTransactionIsolation();
    connection.createStatement().execute("SELECT 5");

    assertThat(isolation).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
    assertThat(driverExecuted).contains("COMMIT", "SELECT @@session.tx_isolation", "SELECT 5");
    assertThat(drain()).extracting(DbClientSpan::sql).containsExactly("SELECT 5");
  }

  @Test
  void theQuerySpanIsCurrentWhileItRunsAndAChildOfTheCallersSpan() throws Exception {
    Statement statement = newDriverConnection().createStatement();
    CustomSpan parent = new CustomSpan(null, "handler", SpanKind.INTERNAL);
    SpanEvent before = CurrentSpan.attach(parent);
    try {
      statement.executeQuery("SELECT 3");
      assertThat(CurrentSpan.get()).isSameAs(parent);
    } finally {
      CurrentSpan.restore(before);
    }
    List<DbClientSpan> spans = drain();
    assertThat(spans).hasSize(1);
    assertThat(currentDuringExecute).isSameAs(spans.get(0));
    assertThat(spans.get(0).parentSpanId()).isEqualTo(parent.spanId());
    assertThat(spans.get(0).traceIdLow()).isEqualTo(parent.traceIdLow());
  }

  @Test
  void rememberedStatementsDoNotKeepStatementsAlive() throws Exception {
    Connection connection = newDriverConnection();
    PreparedStatement statement = connection.prepareStatement("SELECT 4");
    WeakReference<Object> ref = new WeakReference<>(statement);
    assertThat(JdbcStatements.state(statement).preparedSql()).isEqualTo("SELECT 4");
    int before = JdbcStatements.size();
    statement = null;
    ownerConnection.clear();
    driverSql.clear();
    // The collected key reaches the map's reference queue asynchronously (reference handler).
    for (int i = 0; i < 200 && (ref.get() != null || JdbcStatements.size() >= before); i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(ref.get()).as("statement collected despite being remembered").isNull();
    assertThat(JdbcStatements.size()).isLessThan(before);
  }

  @Test
  void typeMatchersSkipTheJdkAndTheAgent() {
    ElementMatcher<net.bytebuddy.description.type.TypeDescription> statements =
        new StatementInstrumentation().typeMatcher();
    assertThat(statements.matches(net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(
        javax.sql.rowset.serial.SerialBlob.class))).isFalse();
    assertThat(statements.matches(net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(
        Statement.class))).isFalse(); // an interface
    assertThat(statements.matches(net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(
        driverStatement))).isTrue();
  }

  // ---- the fake driver and pool ----

  private Connection newDriverConnection() throws Exception {
    return (Connection) driverConnection.getConstructor().newInstance();
  }

  private Connection newPoolConnection(Connection delegate) throws Exception {
    Connection proxy = (Connection) poolConnection.getConstructor().newInstance();
    delegateOf.put(proxy, delegate);
    return proxy;
  }

  private Object driverConnection(Object self, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "prepareStatement":
      case "prepareCall":
        if (((String) args[0]).contains("FAIL")) {
          throw FAILURE; // a driver that prepares on the server refuses the statement
        }
        // fall through
      case "createStatement":
        {
          Object statement = driverStatement.getConstructor().newInstance();
          ownerConnection.put(statement, self);
          if (args != null && args.length > 0 && args[0] instanceof String) {
            driverSql.put(statement, (String) args[0]);
          }
          return statement;
        }
      case "getMetaData":
        metadataCalls.incrementAndGet();
        ((Connection) self).createStatement().executeQuery("SELECT version()");
        if (metadataFails) {
          throw new SQLException("connection is broken", "08006");
        }
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
            (p, m, a) -> m.getName().equals("getURL") ? URL : defaultValue(m));
      case "commit":
        ((Connection) self).createStatement().execute("COMMIT");
        return null;
      case "setAutoCommit":
        if ((Boolean) args[0]) {
          ((Connection) self).commit(); // JDBC: switching auto-commit on commits
        }
        return null;
      case "getTransactionIsolation":
        ((Connection) self).createStatement().executeQuery("SELECT @@session.tx_isolation");
        return Connection.TRANSACTION_READ_COMMITTED;
      default:
        return defaultValue(method);
    }
  }

  private Object driverStatement(Object self, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "getConnection":
        statementConnectionCalls.incrementAndGet();
        return ownerConnection.get(self);
      case "addBatch":
        driverBatch.merge(self, 1, Integer::sum);
        return null;
      case "clearBatch":
        driverBatch.remove(self);
        return null;
      case "executeBatch":
        return new int[driverBatch.getOrDefault(self, 0)];
      case "executeQuery":
        if (args == null || args.length == 0) {
          ((PreparedStatement) self).execute(); // a driver calling itself
          return null;
        }
        // fall through
      case "execute":
      case "executeUpdate":
      case "executeLargeUpdate":
        {
          String sql = args != null && args.length > 0 ? (String) args[0] : driverSql.get(self);
          driverExecuted.add(sql);
          currentDuringExecute = CurrentSpan.get();
          if (sql != null && sql.contains("FAIL")) {
            throw FAILURE;
          }
          if (name.equals("execute")) {
            return true;
          }
          return name.equals("executeLargeUpdate") ? (Object) 5L : name.equals("executeUpdate") ? (Object) 5 : null;
        }
      default:
        return defaultValue(method);
    }
  }

  private Object poolConnection(Object self, Method method, Object[] args) throws Throwable {
    Object delegate = delegateOf.get(self);
    Object result = invoke(method, delegate, args);
    if (result instanceof Statement) {
      Object proxy = poolStatement.getConstructor().newInstance();
      delegateOf.put(proxy, result);
      ownerConnection.put(proxy, self);
      return proxy;
    }
    return result;
  }

  private Object poolStatement(Object self, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("getConnection")) {
      return ownerConnection.get(self);
    }
    return invoke(method, delegateOf.get(self), args);
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object defaultValue(Method m) {
    Class<?> t = m.getReturnType();
    if (t == boolean.class) {
      return false;
    } else if (t == int.class) {
      return 0;
    } else if (t == long.class) {
      return 0L;
    } else if (t.isPrimitive() && t != void.class) {
      return t == double.class ? 0.0 : t == float.class ? 0.0f : t == short.class ? (short) 0 : t == byte.class ? (byte) 0 : (Object) '\0';
    }
    return null;
  }

  /**
   * A class implementing {@code api} through {@code handler}, then redefined with the module's
   * advice the way the agent does it: from its class file, with the type matcher checked on the
   * description read from those bytes.
   */
  private static Class<?> fake(String name, Class<?> api, InvocationHandler handler, TypeInstrumentation instrumentation)
      throws Exception {
    DynamicType.Unloaded<Object> plain =
        new ByteBuddy()
            .subclass(Object.class)
            .name(name + CLASS_COUNTER.incrementAndGet())
            .implement(api)
            .defineField("handler", InvocationHandler.class, Visibility.PUBLIC, Ownership.STATIC)
            .method(not(isDeclaredBy(Object.class)))
            .intercept(InvocationHandlerAdapter.toField("handler"))
            .make();
    ClassFileLocator bytes =
        new ClassFileLocator.Compound(ClassFileLocator.Simple.of(plain.getAllTypes()), LOCATOR);
    TypeDescription type = TypePool.Default.of(bytes).describe(plain.getTypeDescription().getName()).resolve();
    assertThat(instrumentation.typeMatcher().matches(type)).as("type matcher selects %s", name).isTrue();

    DynamicType.Builder<?> builder = new ByteBuddy().redefine(type, bytes);
    List<Object[]> advice = new ArrayList<>();
    instrumentation.applyAdvice(new AdviceTarget() {
      @Override
      public void advise(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
        advice.add(new Object[] {methods, adviceClassName});
      }
    });
    for (Object[] a : advice) {
      @SuppressWarnings("unchecked")
      ElementMatcher<? super MethodDescription> methods = (ElementMatcher<? super MethodDescription>) a[0];
      builder = builder.visit(Advice.to(POOL.describe((String) a[1]).resolve(), LOCATOR).on(methods));
    }
    Class<?> loaded = builder.make()
        .load(JdbcAdviceTest.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
    loaded.getField("handler").set(null, handler);
    return loaded;
  }

  private static List<DbClientSpan> drain() {
    List<DbClientSpan> spans = new ArrayList<>();
    EventQueue.drain(e -> spans.add((DbClientSpan) e), 1000);
    return spans;
  }
}
