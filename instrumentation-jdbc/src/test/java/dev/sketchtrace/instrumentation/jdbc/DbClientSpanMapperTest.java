package dev.sketchtrace.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import java.sql.SQLSyntaxErrorException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbClientSpanMapperTest {
  private static final String PG = "jdbc:postgresql://db.example:5433/shop?user=admin&password=hunter2";
  private final DbClientSpanMapper mapper = new DbClientSpanMapper(2048, 64);

  @Test
  void preparedSelectMapsToSeriesRankingKeyAndSpan() {
    DbClientSpan span = span("SELECT * FROM owners WHERE last_name = 'Zq' AND id IN (1, 2, 3)", PG);

    assertThat(mapper.metricName(span)).isEqualTo("db.client.operation.duration");
    assertThat(series(span))
        .containsExactly(
            Map.entry("db.system", "postgresql"),
            Map.entry("db.namespace", "shop"),
            Map.entry("db.operation.name", "SELECT"),
            Map.entry("db.collection.name", "owners"),
            Map.entry("server.address", "db.example"),
            Map.entry("server.port", 5433L),
            Map.entry("db.query.text", "SELECT * FROM owners WHERE last_name = ? AND id IN (?)"));
    assertThat(mapper.rankingKey(span))
        .isEqualTo("SELECT * FROM owners WHERE last_name = ? AND id IN (?)");
    assertThat(mapper.spanName(span)).isEqualTo("SELECT owners");
    assertThat(mapper.errorType(span)).isNull();
    Map<String, Object> attributes = spanAttributes(span);
    assertThat(attributes)
        .containsEntry("db.query.text", "SELECT * FROM owners WHERE last_name = ? AND id IN (?)")
        .doesNotContainKey("db.operation.batch.size");
  }

  @Test
  void credentialsAndLiteralsNeverReachAnyAttributeOrName() {
    DbClientSpan span =
        span("UPDATE users SET password = 'hunter2' WHERE name = \"admin\"",
            "jdbc:mysql://admin:hunter2@db:3306/shop?password=hunter2");
    StringBuilder everything = new StringBuilder();
    spanAttributes(span).forEach((k, v) -> everything.append(k).append('=').append(v).append('\n'));
    everything.append(mapper.spanName(span)).append(mapper.rankingKey(span));
    assertThat(everything.toString()).doesNotContain("hunter2").doesNotContain("admin");
    assertThat(mapper.rankingKey(span)).isEqualTo("UPDATE users SET password = ? WHERE name = ?");
  }

  @Test
  void theSameTextIsSanitizedOnceHoweverOftenItRuns() {
    String sql = "SELECT * FROM t WHERE id = ?";
    for (int i = 0; i < 1000; i++) {
      DbClientSpan span = span(sql, PG);
      mapper.seriesAttributes(span, (AttributeSink) new MapSink());
      mapper.rankingKey(span);
    }
    assertThat(mapper.sanitizedCount()).isEqualTo(1);
  }

  @Test
  void batchesArePrefixedAndSized() {
    DbClientSpan batch = span("INSERT INTO items (id) VALUES (?)", PG);
    batch.setBatchSize(3);
    assertThat(series(batch)).containsEntry("db.operation.name", "BATCH INSERT");
    assertThat(spanAttributes(batch)).containsEntry("db.operation.batch.size", 3L);
    assertThat(mapper.spanName(batch)).isEqualTo("BATCH INSERT items");

    DbClientSpan mixed = span(null, PG);
    mixed.setBatchSize(2);
    assertThat(series(mixed)).containsEntry("db.operation.name", "BATCH");
    assertThat(mapper.spanName(mixed)).isEqualTo("BATCH shop");
    assertThat(mapper.rankingKey(mixed)).isEqualTo("BATCH");

    DbClientSpan single = span("INSERT INTO items (id) VALUES (?)", PG);
    single.setBatchSize(1); // a batch of one is no batch, per the conventions
    assertThat(series(single)).containsEntry("db.operation.name", "INSERT");
    assertThat(spanAttributes(single)).doesNotContainKey("db.operation.batch.size");
  }

  @Test
  void failureTypeIsTheExceptionClassAndSqlStateIsReported() {
    DbClientSpan span = span("SELECT * FROM missing", PG);
    span.recordException(new SQLSyntaxErrorException("relation does not exist", "42P01"));
    assertThat(mapper.errorType(span)).isEqualTo("java.sql.SQLSyntaxErrorException");
    assertThat(spanAttributes(span)).containsEntry("db.response.status_code", "42P01");
  }

  @Test
  void unknownUrlAndNoSqlStillYieldAName() {
    DbClientSpan span = span(null, null);
    assertThat(series(span)).containsExactly(Map.entry("db.system", "other_sql"));
    assertThat(mapper.spanName(span)).isEqualTo("other_sql");
    assertThat(mapper.rankingKey(span)).isNull();
  }

  @Test
  void commitIsAnOperationOfItsOwn() {
    DbClientSpan span = span("COMMIT", "jdbc:h2:mem:test");
    assertThat(series(span)).containsEntry("db.operation.name", "COMMIT").containsEntry("db.system", "h2");
    assertThat(mapper.spanName(span)).isEqualTo("COMMIT test");
  }

  @Test
  void dialectFollowsTheSystem() {
    String sql = "SELECT \"name\" FROM t WHERE v = 'secret'";
    assertThat(mapper.rankingKey(span(sql, PG))).isEqualTo("SELECT \"name\" FROM t WHERE v = ?");
    assertThat(mapper.rankingKey(span(sql, "jdbc:mariadb://h/db"))).isEqualTo("SELECT ? FROM t WHERE v = ?");
  }

  private static DbClientSpan span(String sql, String url) {
    DbClientSpan span = new DbClientSpan(null);
    span.setSql(sql);
    span.setConnectionUrl(url);
    return span;
  }

  private Map<String, Object> series(DbClientSpan span) {
    MapSink sink = new MapSink();
    mapper.seriesAttributes(span, sink);
    return sink.map;
  }

  private Map<String, Object> spanAttributes(DbClientSpan span) {
    MapSink sink = new MapSink();
    mapper.spanAttributes(span, sink);
    return sink.map;
  }

  private static final class MapSink implements AttributeSink {
    final Map<String, Object> map = new LinkedHashMap<>();

    @Override
    public void put(String key, String value) {
      if (value != null) {
        map.put(key, value);
      }
    }

    @Override
    public void put(String key, long value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, double value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, boolean value) {
      map.put(key, value);
    }
  }
}
