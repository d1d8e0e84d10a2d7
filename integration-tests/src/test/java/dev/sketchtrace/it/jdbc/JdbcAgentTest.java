package dev.sketchtrace.it.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDBC instrumentation under the real agent jar, against real databases through their real
 * drivers (H2 embedded, PostgreSQL and MariaDB on 127.0.0.1), directly and through HikariCP. The
 * same workload ({@link JdbcWorkload}) runs once without and once with the agent: the app's output
 * must be identical, and the exported spans and metrics must count exactly one span per statement.
 */
class JdbcAgentTest {
  static final String METRIC = "db.client.operation.duration";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  record Database(String system, String url, String namespace, String address, String port) {
    @Override
    public String toString() {
      return system;
    }
  }

  static final Database H2 =
      new Database("h2", "jdbc:h2:mem:itdb;DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=hunter2", "itdb", null, null);
  static final Database POSTGRESQL = new Database("postgresql",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=hunter2", "test", "127.0.0.1", "5432");
  static final Database MARIADB = new Database("mariadb",
      "jdbc:mariadb://127.0.0.1:3306/test?user=root", "test", "127.0.0.1", "3306");

  /** All three; {@code -Dsketchtrace.it.jdbc.only=postgresql} narrows a local run to one. */
  static Stream<Arguments> databasesAndModes() {
    String only = System.getProperty("sketchtrace.it.jdbc.only", "");
    return Stream.of(H2, POSTGRESQL, MARIADB)
        .filter(db -> only.isEmpty() || db.system().equals(only))
        .flatMap(db -> Stream.of(Arguments.of(db, "plain"), Arguments.of(db, "hikari")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndModes")
  void oneSpanPerStatementWithConventionalAttributesAndUnchangedResults(Database db, String mode)
      throws Exception {
    String table = "jdbc_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    String withoutAgent = runWithoutAgent(db, table, mode);

    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm app = AgentJvm.builder(JdbcWorkload.class.getName())
            .exportTo(receiver)
            .systemProperty("otel.service.name", "jdbc-it")
            .args(db.url(), table, mode)
            .start()) {
      app.awaitOutput("WORKLOAD DONE", TIMEOUT);
      assertThat(results(app.stdout())).as("app output with the agent").isEqualTo(withoutAgent);

      Map<String, Integer> expected = expectedFingerprints(table);
      int total = expected.values().stream().mapToInt(Integer::intValue).sum();
      try {
        receiver.awaitSpans(spans -> dbSpans(spans, db).size() >= total, TIMEOUT);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\napp stderr:\n" + app.stderr(), e);
      }
      receiver.awaitMetrics(
          metrics -> ReceivedMetric.histogramCount(metrics, METRIC, Map.of("db.system", db.system())) >= total,
          TIMEOUT);
      Thread.sleep(1500); // three export intervals: anything extra would have arrived

      List<ReceivedSpan> spans = dbSpans(receiver.spans(), db);
      Map<String, Integer> actual = spans.stream()
          .collect(Collectors.toMap(s -> String.valueOf(s.attribute("db.query.text")), s -> 1, Integer::sum,
              LinkedHashMap::new));
      assertThat(actual).as("spans per fingerprint; all spans: %s", spans)
          .containsExactlyInAnyOrderEntriesOf(expected);
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        assertThat(ReceivedMetric.histogramCount(receiver.metrics(), METRIC,
                Map.of("db.system", db.system(), "db.query.text", e.getKey())))
            .as("metric count of %s", e.getKey()).isEqualTo((long) e.getValue());
      }

      ReceivedSpan select = only(spans, "SELECT name FROM " + table + " WHERE id = ?", 0);
      assertThat(select.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(select.name()).isEqualTo("SELECT " + table);
      assertThat(select.attribute("db.operation.name")).isEqualTo("SELECT");
      assertThat(select.attribute("db.collection.name")).isEqualTo(table);
      assertThat(select.attribute("db.namespace")).isEqualTo(db.namespace());
      assertThat(select.attribute("server.address")).isEqualTo(db.address());
      assertThat(select.attribute("server.port")).isEqualTo(db.port());
      assertThat(select.isError()).isFalse();

      String insert = "INSERT INTO " + table + " (id, name, qty) VALUES (?, ?, ?)";
      List<ReceivedSpan> batches = spans.stream()
          .filter(s -> insert.equals(s.attribute("db.query.text")) && s.attribute("db.operation.batch.size") != null)
          .toList();
      assertThat(batches).hasSize(1);
      assertThat(batches.get(0).attribute("db.operation.batch.size"))
          .isEqualTo(String.valueOf(JdbcWorkload.BATCH_SIZE));
      assertThat(batches.get(0).attribute("db.operation.name")).isEqualTo("BATCH INSERT");

      ReceivedSpan failed = only(spans, "SELECT * FROM " + table + "_missing WHERE id = ?", 1);
      assertThat(failed.isError()).isTrue();
      String thrownClass = app.stdout().lines().filter(l -> l.startsWith("failed ")).findFirst()
          .orElseThrow().split(" ")[1];
      assertThat(failed.attribute("error.type")).isEqualTo(thrownClass);

      String[] refusal = app.stdout().lines().filter(l -> l.startsWith("refused ")).findFirst()
          .orElseThrow().split(" ");
      if (db == H2) {
        // H2 parses at prepareStatement: the statement never reaches an execute
        assertThat(refusal[refusal.length - 1]).isEqualTo("prepare");
      }
      ReceivedSpan refused = only(spans, "SELECT id, FROM " + table + " WHERE id = ?", 0);
      assertThat(refused.isError()).isTrue();
      assertThat(refused.attribute("error.type")).isEqualTo(refusal[1]);
      assertThat(refused.attribute("db.operation.name")).isEqualTo("SELECT");

      assertThat(only(spans, "COMMIT", 0).attribute("db.operation.name")).isEqualTo("COMMIT");
      assertThat(only(spans, "ROLLBACK", 0).attribute("db.operation.name")).isEqualTo("ROLLBACK");
      assertThat(only(spans, "{? = call abs(?)}", 0).attribute("db.operation.name")).isEqualTo("CALL");

      String everything = receiver.spans() + " " + receiver.metrics().stream()
          .map(m -> m.metric().toString()).collect(Collectors.joining());
      assertThat(everything).doesNotContain("hunter2").doesNotContain("secret-apple");
    }
  }

  @Test
  void h2WorkloadRunsUnchangedOnEveryTestJdk() throws Exception {
    for (Path javaHome : AgentJvm.testJavaHomes()) {
      String table = "jdbc_jdk_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
      String withoutAgent = runWithoutAgent(H2, table, "plain");
      try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
          RunningJvm app = AgentJvm.builder(JdbcWorkload.class.getName())
              .javaHome(javaHome)
              .exportTo(receiver)
              .args(H2.url(), table, "plain")
              .start()) {
        app.awaitOutput("WORKLOAD DONE", TIMEOUT);
        assertThat(results(app.stdout())).as("output on %s", javaHome).isEqualTo(withoutAgent);
        int total = expectedFingerprints(table).values().stream().mapToInt(Integer::intValue).sum();
        receiver.awaitSpans(spans -> dbSpans(spans, H2).size() >= total, TIMEOUT);
      }
    }
  }

  @Test
  void onlyTheTopStatementsKeepTheirOwnSeriesAndTheRestFoldIntoOther() throws Exception {
    int topK = 3;
    int total = JdbcRankingWorkload.DISTINCT * (JdbcRankingWorkload.DISTINCT + 1) / 2;
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm app = AgentJvm.builder(JdbcRankingWorkload.class.getName())
            .exportTo(receiver)
            .systemProperty("sketchtrace.jdbc.top-k", String.valueOf(topK))
            .start()) {
      app.awaitOutput("WORKLOAD DONE", TIMEOUT);
      List<ReceivedMetric> metrics = receiver.awaitMetrics(
          // the "other" series keep db.system (and db.namespace), so this counts them too
          m -> ReceivedMetric.histogramCount(m, METRIC, Map.of("db.system", "h2")) >= total,
          TIMEOUT);

      long named = 0;
      long other = 0;
      for (ReceivedMetric metric : metrics) {
        if (!metric.name().equals(METRIC)) {
          continue;
        }
        java.util.Set<String> statementsInThisExport = new java.util.HashSet<>();
        for (var point : metric.metric().getExponentialHistogram().getDataPointsList()) {
          Map<String, String> attributes = point.getAttributesList().stream().collect(Collectors.toMap(
              kv -> kv.getKey(), kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
                  : String.valueOf(kv.getValue().getBoolValue())));
          if ("true".equals(attributes.get("sketchtrace.series.other"))) {
            // where the long tail ran, never what it ran
            assertThat(attributes).containsOnlyKeys(
                "sketchtrace.series.other", "db.system", "db.namespace");
            assertThat(attributes).containsEntry("db.system", "h2").containsEntry("db.namespace", "ranking");
            other += point.getCount();
          } else {
            String text = attributes.get("db.query.text");
            assertThat(text).startsWith("SELECT ? AS c");
            statementsInThisExport.add(text);
            named += point.getCount();
          }
        }
        // top-K by total time and top-K by calls: at most 2K statements keep a series per window
        assertThat(statementsInThisExport.size()).isLessThanOrEqualTo(2 * topK);
      }
      assertThat(named + other).isEqualTo(total);
      assertThat(other).as("series folded into other").isPositive();
      // the agent posts /v1/sketches right after the metrics of the same export
      for (int i = 0; i < 100 && !String.join("", receiver.sketchPayloads()).contains(METRIC); i++) {
        Thread.sleep(100);
      }
      assertThat(String.join("\n", receiver.sketchPayloads()))
          .contains("\"metric\":\"" + METRIC + "\"")
          .contains("\"kind\":\"topk_time\"")
          .contains("\"kind\":\"topk_calls\"")
          .contains("\"kind\":\"hll\"");
    }
  }

  /** What the workload runs, as sanitized fingerprints, and how many times each. */
  static Map<String, Integer> expectedFingerprints(String t) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("DROP TABLE IF EXISTS " + t, 1);
    m.put("CREATE TABLE " + t + " (id INT PRIMARY KEY, name VARCHAR(?), qty INT)", 1);
    // one plain INSERT with literals, one prepared, one batch: the same fingerprint
    m.put("INSERT INTO " + t + " (id, name, qty) VALUES (?, ?, ?)", 3);
    m.put("SELECT id, name, qty FROM " + t + " WHERE qty > ? ORDER BY id", 1);
    m.put("SELECT name FROM " + t + " WHERE id = ?", JdbcWorkload.PREPARED_SELECTS);
    m.put("{? = call abs(?)}", 1);
    m.put("SELECT * FROM " + t + "_missing WHERE id = ?", 1);
    m.put("SELECT id, FROM " + t + " WHERE id = ?", 1); // refused at prepare (H2) or execute
    m.put("UPDATE " + t + " SET qty = qty + ? WHERE id = ?", 2);
    // setAutoCommit(true) commits inside H2 and PostgreSQL: housekeeping, no span of its own
    m.put("COMMIT", 1);
    m.put("ROLLBACK", 1);
    m.put("SELECT id, name, qty FROM " + t + " ORDER BY id", 1);
    m.put("DROP TABLE " + t, 1);
    return m;
  }

  private static String runWithoutAgent(Database db, String table, String mode) {
    try (RunningJvm app = AgentJvm.builder(JdbcWorkload.class.getName())
        .withoutAgent()
        .args(db.url(), table, mode)
        .start()) {
      app.awaitOutput("WORKLOAD DONE", TIMEOUT);
      return results(app.stdout());
    }
  }

  private static String results(String stdout) {
    int begin = stdout.indexOf("RESULTS BEGIN");
    int end = stdout.indexOf("RESULTS END");
    assertThat(begin).as("workload output: %s", stdout).isGreaterThanOrEqualTo(0);
    assertThat(end).as("workload output: %s", stdout).isGreaterThan(begin);
    return stdout.substring(begin, end);
  }

  private static List<ReceivedSpan> dbSpans(List<ReceivedSpan> spans, Database db) {
    return spans.stream().filter(s -> db.system().equals(s.attribute("db.system"))).toList();
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String fingerprint, int which) {
    List<ReceivedSpan> matching = spans.stream()
        .filter(s -> fingerprint.equals(s.attribute("db.query.text"))).toList();
    assertThat(matching).as("spans of %s", fingerprint).isNotEmpty();
    return matching.get(Math.min(which, matching.size() - 1));
  }
}
