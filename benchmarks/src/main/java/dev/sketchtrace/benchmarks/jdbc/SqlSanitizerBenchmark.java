package dev.sketchtrace.benchmarks.jdbc;

import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Folder-thread cost of the JDBC mapper: {@code sanitize} is one cache miss (a SQL text seen for
 * the first time is lexed, literals redacted); {@code mapCachedStatement} is what every later event
 * of the same statement costs (URL and fingerprint cache hits, series attributes, ranking key).
 *
 * <p>The instrumentation module is not a compile-time dependency of this module (it is loaded into
 * the agent's isolated class loader in production, and its classes are package-private), so the
 * benchmark reaches it by reflection through method handles — a few nanoseconds per call, small
 * next to what is measured. It needs {@code instrumentation-jdbc} and {@code instrumentation-api}
 * on the class path ({@code benchmarks/jdbc/run.sh} adds them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SqlSanitizerBenchmark {
  static final String SHORT = "SELECT * FROM owners WHERE id = 42";
  static final String MEDIUM =
      "SELECT o.id, o.first_name, o.last_name, p.name FROM owners o JOIN pets p ON p.owner_id = o.id "
          + "WHERE o.last_name = 'O''Brien' AND p.birth_date > DATE '2019-03-01' AND p.type_id IN (1, 2, 3, 4) "
          + "/* petclinic */ ORDER BY o.last_name LIMIT 20";
  static final String LONG = longInsert();

  @Param({"short", "medium", "long"})
  public String shape;

  private String sql;
  private MethodHandle sanitize;
  private Object sanitizer;
  private Object dialect;
  private MethodHandle seriesAndKey;
  private Object mapper;
  private DbClientSpan eventA;
  private DbClientSpan eventB;
  private boolean flip;

  @Setup
  public void setUp() throws Throwable {
    sql = shape.equals("short") ? SHORT : shape.equals("medium") ? MEDIUM : LONG;
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Class<?> sanitizerClass = Class.forName("dev.sketchtrace.instrumentation.jdbc.SqlSanitizer");
    Class<?> dialectClass = Class.forName("dev.sketchtrace.instrumentation.jdbc.SqlDialect");
    Constructor<?> constructor = sanitizerClass.getDeclaredConstructor(int.class);
    constructor.setAccessible(true);
    sanitizer = constructor.newInstance(2048);
    var method = sanitizerClass.getDeclaredMethod("sanitize", String.class, dialectClass);
    method.setAccessible(true);
    sanitize = lookup.unreflect(method).asType(MethodType.methodType(String.class, Object.class, String.class, Object.class));
    for (Object constant : dialectClass.getEnumConstants()) {
      if (((Enum<?>) constant).name().equals("STANDARD")) {
        dialect = constant;
      }
    }
    String check = (String) sanitize.invokeExact(sanitizer, SHORT, dialect);
    if (!"SELECT * FROM owners WHERE id = ?".equals(check)) {
      throw new IllegalStateException("unexpected sanitizer output");
    }

    Object module = Class.forName("dev.sketchtrace.instrumentation.jdbc.JdbcInstrumentationModule")
        .getConstructor().newInstance();
    mapper = ((List<?>) module.getClass().getMethod("spanMappers").invoke(module)).get(0);
    Class<?> mapperApi = Class.forName("dev.sketchtrace.instrumentation.api.SpanMapper");
    seriesAndKey = lookup.findVirtual(mapperApi, "rankingKey", MethodType.methodType(String.class, SpanEvent.class))
        .asType(MethodType.methodType(String.class, Object.class, DbClientSpan.class));
    eventA = event(sql);
    eventB = event(sql);
  }

  /** One cache miss: lexing and redacting the text. */
  @Benchmark
  public String sanitize() throws Throwable {
    return (String) sanitize.invokeExact(sanitizer, sql, dialect);
  }

  /**
   * One event of an already-seen statement: the mapper's per-event lookups. Two events alternate
   * so the mapper's last-event memo never short-circuits the cache lookups.
   */
  @Benchmark
  public String mapCachedStatement() throws Throwable {
    flip = !flip;
    DbClientSpan event = flip ? eventA : eventB;
    return (String) seriesAndKey.invokeExact(mapper, event);
  }

  private static DbClientSpan event(String sql) {
    DbClientSpan span = new DbClientSpan(null);
    span.setSql(sql);
    span.setConnectionUrl("jdbc:postgresql://db.example:5432/shop?user=app&password=secret");
    return span;
  }

  private static String longInsert() {
    StringBuilder s = new StringBuilder("INSERT INTO visits (pet_id, visit_date, description) VALUES ");
    for (int i = 0; i < 40; i++) {
      s.append(i == 0 ? "" : ", ").append('(').append(1000 + i).append(", '2024-05-").append(10 + i % 20)
          .append("', 'annual check-up, weight ").append(i * 0.37).append(" kg, it''s fine')");
    }
    return s.toString();
  }
}
