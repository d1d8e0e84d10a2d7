package dev.sketchtrace.instrumentation.jdbc;

import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import dev.sketchtrace.instrumentation.api.InstrumentationConfig;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.util.List;

/**
 * JDBC: every statement execution through any driver, pool or wrapper becomes one client span and
 * a {@code db.client.operation.duration} measurement, ranked by statement fingerprint.
 *
 * <p>Configuration: {@code sketchtrace.jdbc.query-text.max-length} (default 2048 characters of
 * sanitized SQL), {@code sketchtrace.jdbc.fingerprint-cache.size} (default 2048 distinct texts per
 * dialect). The top-K size {@code sketchtrace.jdbc.top-k} is read by the agent, which owns ranking.
 */
public final class JdbcInstrumentationModule implements InstrumentationModule {
  private int maxQueryLength = 2048;
  private int cacheSize = 2048;

  @Override
  public String name() {
    return "jdbc";
  }

  /**
   * {@code java.sql} is a JDK module, so this gate is true for every application class loader; it
   * does exclude the bootstrap loader, which cannot see {@code java.sql}. The real filter is the
   * type matcher: a name pre-filter, then a hierarchy check.
   */
  @Override
  public List<String> libraryMarkerClasses() {
    return List.of("java.sql.Statement");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new StatementInstrumentation(), new ConnectionInstrumentation());
  }

  @Override
  public List<SpanMapper<?>> spanMappers() {
    return List.of(new DbClientSpanMapper(maxQueryLength, cacheSize));
  }

  /** Also hands the bootstrap its way to read a connection's URL, before any advice runs. */
  @Override
  public void configure(InstrumentationConfig config) {
    JdbcConnections.readUrlsWith(new MetadataUrlReader());
    maxQueryLength = Math.max(64, config.getInt("sketchtrace.jdbc.query-text.max-length", 2048));
    cacheSize = Math.max(16, config.getInt("sketchtrace.jdbc.fingerprint-cache.size", 2048));
  }
}
