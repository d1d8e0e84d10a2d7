package dev.sketchtrace.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One container app under the real agent jar in a child JVM, and the same app without the agent:
 * every {@link Case} is requested once from each (tagged with an {@code x-test-case} header that
 * the agent is configured to capture), then the exported spans and metrics are checked against the
 * cases and the two JVMs' responses are compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSpanContract {
  static final String METRIC = "http.server.request.duration";
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  private static final Duration STARTUP = Duration.ofSeconds(120);

  /**
   * One request and what its span must say.
   *
   * @param route the expected {@code http.route}, or null when none may be set
   * @param errorType the expected {@code error.type}, or null when none may be set
   * @param excluded whether the agent is configured to exclude it (no span, no metric)
   */
  record Case(
      String name,
      String path,
      int status,
      String spanName,
      String route,
      String errorType,
      boolean withTraceparent,
      boolean excluded) {
    static Case of(String name, String path, int status, String spanName, String route) {
      return new Case(name, path, status, spanName, route, null, false, false);
    }

    Case failingWith(String type) {
      return new Case(name, path, status, spanName, route, type, withTraceparent, excluded);
    }

    Case continuingTrace() {
      return new Case(name, path, status, spanName, route, errorType, true, excluded);
    }

    Case excludedByConfig() {
      return new Case(name, path, status, spanName, route, errorType, withTraceparent, true);
    }
  }

  /** The app's launcher; the contract adds the agent (or not) and the export settings. */
  abstract AgentJvm.Builder app();

  abstract List<Case> cases();

  /** The {@code sketchtrace.servlet.exclude} value given to the instrumented app. */
  String excludes() {
    return "/api/health,/actuator/*";
  }

  private OtlpStubReceiver receiver;
  private RunningJvm instrumented;
  private RunningJvm plain;
  private final Map<String, byte[]> withAgent = new LinkedHashMap<>();
  private final Map<String, byte[]> withoutAgent = new LinkedHashMap<>();
  private int agentPort;
  private int plainPort;
  private Map<String, List<ReceivedSpan>> serverSpansByCase;
  private List<ReceivedSpan> serverSpans;

  @BeforeAll
  void runAllCases() throws Exception {
    receiver = OtlpStubReceiver.start();
    instrumented =
        app()
            .exportTo(receiver)
            .systemProperty("otel.service.name", getClass().getSimpleName())
            .systemProperty("otel.instrumentation.http.server.capture-request-headers", "x-test-case")
            .systemProperty("sketchtrace.servlet.exclude", excludes())
            .start();
    plain = app().withoutAgent().start();
    agentPort = awaitPort(instrumented);
    plainPort = awaitPort(plain);
    for (Case c : cases()) {
      Map<String, String> headers = new HashMap<>();
      headers.put("x-test-case", c.name());
      if (c.withTraceparent()) {
        headers.put("traceparent", TRACEPARENT);
      }
      withAgent.put(c.name(), RawHttp.get(agentPort, c.path(), headers));
      withoutAgent.put(c.name(), RawHttp.get(plainPort, c.path(), headers));
    }
    long expected = cases().stream().filter(c -> !c.excluded()).count();
    receiver.awaitSpans(spans -> server(spans).size() >= expected, Duration.ofSeconds(60));
    // Let a second export interval pass: a duplicate span would arrive by then.
    Thread.sleep(1500);
    serverSpans = server(receiver.spans());
    serverSpansByCase =
        serverSpans.stream()
            .collect(Collectors.groupingBy(s -> String.valueOf(s.attribute("http.request.header.x-test-case"))));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {instrumented, plain, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static List<ReceivedSpan> server(List<ReceivedSpan> spans) {
    return spans.stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
  }

  private static int awaitPort(RunningJvm jvm) {
    jvm.awaitOutput("READY port=", STARTUP);
    String out = jvm.stdout();
    int at = out.indexOf("READY port=") + "READY port=".length();
    int end = at;
    while (end < out.length() && Character.isDigit(out.charAt(end))) {
      end++;
    }
    return Integer.parseInt(out.substring(at, end));
  }

  @Test
  void exactlyOneServerSpanPerRequestAndNoneForExcludedPaths() {
    for (Case c : cases()) {
      List<ReceivedSpan> spans = serverSpansByCase.getOrDefault(c.name(), List.of());
      assertThat(spans).as("server spans of case %s: %s", c.name(), serverSpans).hasSize(c.excluded() ? 0 : 1);
    }
    assertThat(serverSpans).hasSize((int) cases().stream().filter(c -> !c.excluded()).count());
  }

  @Test
  void spansCarryNameRouteStatusAndErrorType() {
    for (Case c : cases()) {
      if (c.excluded()) {
        continue;
      }
      ReceivedSpan span = serverSpansByCase.get(c.name()).get(0);
      assertThat(span.name()).as("name of %s", c.name()).isEqualTo(c.spanName());
      assertThat(span.attribute("http.route")).as("route of %s", c.name()).isEqualTo(c.route());
      assertThat(span.attribute("http.response.status_code")).as("status of %s", c.name()).isEqualTo(String.valueOf(c.status()));
      assertThat(span.attribute("error.type")).as("error.type of %s", c.name()).isEqualTo(c.errorType());
      assertThat(span.attribute("http.request.method")).isEqualTo("GET");
      assertThat(span.attribute("url.path")).as("url.path of %s", c.name()).isEqualTo(c.path().split("\\?")[0]);
      assertThat(span.attribute("url.scheme")).isEqualTo("http");
      assertThat(span.attribute("network.protocol.version")).isEqualTo("1.1");
      assertThat(span.attribute("server.address")).isEqualTo("localhost");
      assertThat(span.attribute("client.address")).isEqualTo("127.0.0.1");
      boolean exceptionEscaped = c.errorType() != null && c.errorType().contains(".");
      assertThat(span.events().stream().anyMatch(e -> e.getName().equals("exception")))
          .as("exception event of %s", c.name())
          .isEqualTo(exceptionEscaped);
    }
  }

  @Test
  void incomingTraceparentIsContinuedAndOtherRequestsStartTraces() {
    for (Case c : cases()) {
      if (c.excluded()) {
        continue;
      }
      ReceivedSpan span = serverSpansByCase.get(c.name()).get(0);
      if (c.withTraceparent()) {
        assertThat(span.traceId()).isEqualTo(TRACE_ID);
        assertThat(span.parentSpanId()).isEqualTo(PARENT_ID);
      } else {
        assertThat(span.parentSpanId()).as("parent of %s", c.name()).isEmpty();
        assertThat(span.traceId()).isNotEqualTo(TRACE_ID);
      }
    }
  }

  @Test
  void durationMetricCountsEveryRequestPerRouteAndStatus() {
    Map<List<String>, Long> expected = new HashMap<>();
    for (Case c : cases()) {
      if (!c.excluded() && c.route() != null) {
        expected.merge(List.of(c.route(), String.valueOf(c.status())), 1L, Long::sum);
      }
    }
    List<ReceivedMetric> metrics =
        receiver.awaitMetrics(
            m ->
                expected.entrySet().stream()
                    .allMatch(e -> count(m, e.getKey()) >= e.getValue()),
            Duration.ofSeconds(30));
    expected.forEach(
        (key, n) -> assertThat(count(metrics, key)).as("requests to %s", key).isEqualTo(n));
    for (Case c : cases()) {
      if (c.excluded()) {
        assertThat(
                ReceivedMetric.histogramCount(
                    metrics, METRIC, Map.of("url.path", c.path())))
            .isZero();
      }
    }
  }

  private static long count(List<ReceivedMetric> metrics, List<String> routeAndStatus) {
    return ReceivedMetric.histogramCount(
        metrics,
        METRIC,
        Map.of(
            "http.route", routeAndStatus.get(0),
            "http.response.status_code", routeAndStatus.get(1),
            "http.request.method", "GET"));
  }

  @Test
  void responsesAreByteForByteTheSameWithAndWithoutTheAgent() {
    for (Case c : cases()) {
      byte[] instrumentedResponse = withAgent.get(c.name());
      assertThat(RawHttp.status(instrumentedResponse)).as("status of %s", c.name()).isEqualTo(c.status());
      assertThat(RawHttp.comparable(instrumentedResponse, agentPort))
          .as("response to %s", c.name())
          .isEqualTo(RawHttp.comparable(withoutAgent.get(c.name()), plainPort));
    }
  }

  /** The cases every plain-servlet container app ({@link JakartaRoutes}, {@link JavaxRoutes}) serves. */
  static List<Case> plainServletCases() {
    return List.of(
        Case.of("hello", "/hello?name=x", 200, "GET /hello", "/hello"),
        Case.of("filters", "/api/items", 200, "GET /api/*", "/api/*"),
        Case.of("forward", "/forward", 200, "GET /forward", "/forward"),
        Case.of("missing", "/missing", 404, "GET", null),
        Case.of("boom", "/boom", 500, "GET /boom", "/boom").failingWith("java.lang.IllegalStateException"),
        Case.of("unavailable", "/unavailable", 503, "GET /unavailable", "/unavailable").failingWith("503"),
        Case.of("async", "/async", 202, "GET /async", "/async"),
        Case.of("traceparent", "/hello", 200, "GET /hello", "/hello").continuingTrace(),
        Case.of("excluded", "/api/health", 200, null, null).excludedByConfig());
  }
}
