package dev.sketchtrace.collector.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sketchtrace.collector.Collector;
import dev.sketchtrace.collector.CollectorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert, drift and distribution endpoints over HTTP on an in-process collector. */
class DashboardApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES =
      "{\"rules\": [{\"name\": \"api p99\", \"service\": \"api\", \"route\": \"GET /a\", \"signal\": \"p99\", \"window\": \"1m\","
          + " \"warning\": 0.01, \"critical\": 0.5}]}";
  static final double[] VALUES = {0.010, 0.020, 0.030, 0.040};
  @TempDir static Path dir;
  static Collector collector;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    collector = Collector.start(CollectorConfig.builder().dataDir(dir).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).build());
    OtlpFeed feed = new OtlpFeed("http://127.0.0.1:" + collector.otlpHttpPort(), "api");
    long now = System.currentTimeMillis();
    // 20 s ago: a closed 10 s bucket, as an agent's export interval would deliver it
    feed.histogram("http.server.request.duration", Map.of("http.request.method", "GET", "http.route", "/a"), now - 20_000, 10_000,
        VALUES);
    feed.flushMetrics();
    // the agent's per-statement series: two top-K statements on one table, the rest folded into "other",
    // from two senders (so the statement's figures are a merge), one of them also with a failed call
    OtlpFeed db = new OtlpFeed("http://127.0.0.1:" + collector.otlpHttpPort(), "db");
    Map<String, String> owners = Map.of("db.system.name", "postgresql", "db.operation.name", "SELECT", "db.collection.name", "owners");
    db.histogram(DB, with(owners, "db.query.text", BY_ID), now - 20_000, 10_000, new double[] {0.001, 0.002, 0.003});
    db.histogram(DB, with(owners, "db.query.text", BY_ID), now - 30_000, 10_000, new double[] {0.004});
    db.histogram(DB, with(with(owners, "db.query.text", BY_ID), "error.type", "java.sql.SQLException"), now - 20_000, 10_000,
        new double[] {0.050});
    db.histogram(DB, with(owners, "db.query.text", BY_NAME), now - 20_000, 10_000, new double[] {0.010, 0.020});
    db.histogram(DB, with(owners, "db.query.text", "other"), now - 20_000, 10_000, new double[] {0.100});
    db.histogram("http.server.request.duration", Map.of("http.route", "/x"), now - 20_000, 10_000, VALUES);
    db.flushMetrics();
  }

  static final String DB = "db.client.operation.duration";
  static final String BY_ID = "SELECT * FROM owners WHERE id = ?";
  static final String BY_NAME = "SELECT * FROM owners WHERE last_name LIKE ?";

  static Map<String, String> with(Map<String, String> m, String k, String v) {
    Map<String, String> out = new java.util.HashMap<>(m);
    out.put(k, v);
    return out;
  }

  @AfterAll
  static void stop() {
    if (collector != null) collector.close();
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rulesPutGetAndABadBodyIsRefusedNamingTheFieldKeepingTheRules() throws Exception {
    assertThat(send("PUT", "/api/v1/alerts/rules", RULES).statusCode()).isEqualTo(200);
    HttpResponse<String> bad = send("PUT", "/api/v1/alerts/rules", RULES.replace("\"signal\": \"p99\"", "\"signal\": \"p101\""));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(bad.body());
    assertThat(err.get("field").asText()).isEqualTo("rules[0].signal");
    assertThat(err.get("error").asText()).startsWith("rules[0].signal: ");
    assertThat(send("PUT", "/api/v1/alerts/rules", "{\"rules\": [").statusCode()).isEqualTo(400);
    JsonNode rules = JSON.readTree(send("GET", "/api/v1/alerts/rules", null).body());
    assertThat(rules.get("rules").get(0).get("name").asText()).isEqualTo("api p99");

    collector.rollupNow();
    dashboardAlerts().engine().evaluate(); // what the 15 s schedule does
    JsonNode state = JSON.readTree(send("GET", "/api/v1/alerts", null).body());
    JsonNode rule = state.get("rules").get(0);
    assertThat(rule.get("state").asText()).isEqualTo("WARNING");
    dev.sketchtrace.sketch.QuantileSketch local = dev.sketchtrace.sketch.QuantileSketch.forLatencies();
    for (double v : VALUES) local.add(v);
    assertThat(rule.get("value").asDouble()).isEqualTo(local.quantile(0.99)); // the stored sketch is the sent one
  }

  @Test
  void silencesAreValidatedAddedAndEnded() throws Exception {
    HttpResponse<String> bad = send("POST", "/api/v1/alerts/silences", "{\"matchers\": [{\"label\": \"service\"}], \"duration\": \"1h\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("matchers[0].value");
    bad = send("POST", "/api/v1/alerts/silences", "{\"matchers\": [{\"label\": \"service\", \"value\": \"api\"}], \"duration\": \"soon\"}");
    assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("duration");
    HttpResponse<String> ok = send("POST", "/api/v1/alerts/silences",
        "{\"matchers\": [{\"label\": \"service\", \"value\": \"ap.*\", \"regex\": true}], \"duration\": \"2h\", \"comment\": \"deploy\"}");
    assertThat(ok.statusCode()).isEqualTo(201);
    String id = JSON.readTree(ok.body()).get("id").asText();
    assertThat(send("DELETE", "/api/v1/alerts/silences/" + id, null).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/api/v1/alerts/silences/nope", null).statusCode()).isEqualTo(404);
  }

  @Test
  void distributionAndDriftAnswerAndNameBadParameters() throws Exception {
    JsonNode d = JSON.readTree(send("GET", "/api/v1/distribution?service=api&route=GET%20/a&from=now-15m", null).body());
    assertThat(d.get("count").asLong()).isEqualTo(4);
    long sum = 0;
    for (JsonNode b : d.get("buckets")) {
      sum += b.get("count").asLong();
      assertThat(b.get("upper").asDouble()).isGreaterThan(b.get("lower").asDouble());
    }
    assertThat(sum).isEqualTo(4);
    HttpResponse<String> bad = send("GET", "/api/v1/distribution?service=api&from=yesterday", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("from");
    assertThat(JSON.readTree(send("GET", "/api/v1/drift?window=2x", null).body()).get("field").asText()).isEqualTo("window");
    JsonNode drift = JSON.readTree(send("GET", "/api/v1/drift?window=1m", null).body());
    assertThat(drift.get("caveat").asText()).contains("not evidence");
    JsonNode overview = JSON.readTree(send("GET", "/api/v1/overview", null).body());
    assertThat(overview.get("services").get(0).get("service").asText()).isEqualTo("api");
    assertThat(overview.get("services").get(0).get("count").asLong()).isEqualTo(4);
  }

  @Test
  void statementsHaveTheirOwnPercentilesAndOperationsMergeThem() throws Exception {
    JsonNode r = JSON.readTree(send("GET", "/api/v1/services/db/statements?from=now-15m", null).body());
    assertThat(r.get("metric").asText()).isEqualTo(DB);
    Map<String, JsonNode> byText = new java.util.LinkedHashMap<>();
    for (JsonNode s : r.get("statements")) byText.put(s.get("operation").asText(), s);
    assertThat(byText.keySet()).containsExactly(BY_ID, BY_NAME, "other"); // by count, the route's series left out
    JsonNode byId = byText.get(BY_ID);
    assertThat(byId.get("count").asLong()).isEqualTo(5);
    assertThat(byId.get("errors").asLong()).isEqualTo(1);
    assertThat(byId.get("attributes").get("db.query.text").asText()).isEqualTo(BY_ID);
    dev.sketchtrace.sketch.QuantileSketch local = dev.sketchtrace.sketch.QuantileSketch.forLatencies();
    for (double v : new double[] {0.001, 0.002, 0.003, 0.004, 0.050}) local.add(v);
    for (String p : new String[] {"p50", "p90", "p95", "p99"}) {
      double q = p.equals("p50") ? 0.5 : p.equals("p90") ? 0.9 : p.equals("p95") ? 0.95 : 0.99;
      assertThat(byId.get(p).asDouble()).as(p).isEqualTo(local.quantile(q)); // the exact merge of the sent sketches
    }
    assertThat(byText.get(BY_NAME).get("count").asLong()).isEqualTo(2);
    dev.sketchtrace.sketch.QuantileSketch byName = dev.sketchtrace.sketch.QuantileSketch.forLatencies();
    byName.add(0.010);
    byName.add(0.020);
    assertThat(byText.get(BY_NAME).get("p99").asDouble()).isEqualTo(byName.quantile(0.99));
    assertThat(byText.get(BY_NAME).get("max").asDouble()).isEqualTo(0.020);

    // the operations view is per statement kind and table: every statement of the table in one row
    JsonNode ops = JSON.readTree(send("GET", "/api/v1/services/db/operations?metric=" + DB + "&from=now-15m", null).body());
    assertThat(ops.get("operations")).hasSize(1);
    assertThat(ops.get("operations").get(0).get("operation").asText()).isEqualTo("postgresql SELECT owners");
    assertThat(ops.get("operations").get(0).get("count").asLong()).isEqualTo(8);
    assertThat(ops.get("operations").get(0).has("p95")).isTrue();

    HttpResponse<String> bad = send("GET", "/api/v1/services/db/statements?from=later", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("parameter").asText()).isEqualTo("from");
  }

  static dev.sketchtrace.collector.alerts.AlertService dashboardAlerts() {
    return collector.dashboard().alerts();
  }
}
