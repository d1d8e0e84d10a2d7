package dev.sketchtrace.smoke;

import static dev.sketchtrace.smoke.ShopTelemetryChecks.SERVER_METRIC;
import static dev.sketchtrace.smoke.ShopTelemetryChecks.isDb;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The javax (Servlet 4) WAR in an embedded Tomcat 9, started from the executable WAR with the
 * agent: plain servlets are named by their mapping, JDBC under a servlet is its child, and a
 * servlet's exception is a 500 error span. Once per test JDK.
 */
class LegacyWarSmokeTest {
  private static final int HELLOS = 4;
  private static final int ITEMS = 3;
  private static final int BROKEN = 2;

  static List<Path> javaHomes() {
    return AgentJvm.testJavaHomes();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("javaHomes")
  void servletsJdbcAndErrorsOfTheWarArrive(Path javaHome) {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
         RunningApp war = RunningApp.start(
             SampleApps.withAgent(javaHome, SampleApps.legacyWar(), SampleApps.WAR_LAUNCHER, "legacy").exportTo(receiver),
             "%d", "legacy-war started on port")) {
      RunningApp.withLogsOnFailure(() -> checkWar(receiver, war), war);
    }
  }

  private static void checkWar(OtlpStubReceiver receiver, RunningApp war) {
    for (int i = 0; i < HELLOS; i++) {
      assertThat(Http.get(war.url() + "/hello").statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < ITEMS; i++) {
      assertThat(Http.get(war.url() + "/items/" + (1 + i)).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < BROKEN; i++) {
      assertThat(Http.get(war.url() + "/broken").statusCode()).isEqualTo(500);
    }

    List<ReceivedSpan> spans = receiver.awaitSpans(all -> servers(all, "GET /items/*").size() >= ITEMS
        && servers(all, "GET /broken").size() >= BROKEN, Duration.ofSeconds(60));
    assertThat(servers(spans, "GET /items/*")).hasSize(ITEMS).allSatisfy(server -> {
      assertThat(server.attribute("http.route")).isEqualTo("/items/*");
      // The first request also creates and seeds the lazily initialized database: only the SELECT is the item's.
      assertThat(spans).filteredOn(s -> isDb(s) && s.parentSpanId().equals(server.spanId())
              && "SELECT".equals(s.attribute("db.operation.name")))
          .singleElement().satisfies(db -> {
            assertThat(db.traceId()).isEqualTo(server.traceId());
            assertThat(db.attribute("db.system")).isEqualTo("h2");
            assertThat(db.attribute("db.query.text")).contains("FROM items");
          });
    });
    assertThat(servers(spans, "GET /broken")).hasSize(BROKEN).allSatisfy(server -> {
      assertThat(server.isError()).isTrue();
      assertThat(server.attribute("http.response.status_code")).isEqualTo("500");
    });

    receiver.awaitMetrics(m -> count(m, "/hello") >= HELLOS && count(m, "/items/*") >= ITEMS
        && count(m, "/broken") >= BROKEN, Duration.ofSeconds(60));
    List<ReceivedMetric> metrics = receiver.metrics();
    assertThat(count(metrics, "/hello")).isEqualTo(HELLOS);
    assertThat(count(metrics, "/items/*")).isEqualTo(ITEMS);
    assertThat(count(metrics, "/broken")).isEqualTo(BROKEN);
  }

  private static List<ReceivedSpan> servers(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER && name.equals(s.name())).toList();
  }

  private static long count(List<ReceivedMetric> metrics, String route) {
    return ReceivedMetric.histogramCount(metrics, SERVER_METRIC, Map.of("http.route", route));
  }
}
