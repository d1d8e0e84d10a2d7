package dev.sketchtrace.it.httpclient;

import dev.sketchtrace.testing.RecordingServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every instrumented HTTP client under the real agent jar, in a child JVM, against a local server
 * that records what it receives: GET, POST with a body, 404, 500, connection refused, timeout, a
 * {@code traceparent} the app set itself, a redirect the client follows, and the async API where the
 * library has one.
 *
 * <p>Proves, per client: the app observes exactly what it observes without the agent (the child's
 * printed outcomes are compared line by line with a run without the agent); one CLIENT span per
 * call with the semantic-convention attributes and a sanitized {@code url.full}; the server received
 * a {@code traceparent} naming that very span (trace id and parent id) — or the app's own header,
 * untouched; and the {@code http.client.request.duration} histogram is keyed by method, server and
 * status class.
 */
class HttpClientsTest {
  // Generous: on the shared, loaded build box a first export can be slow and then backed off.
  private static final Duration EXPORT_WAIT = Duration.ofSeconds(60);
  private static RecordingServer server;
  private static String refusedBase;

  @BeforeAll
  static void startServer() throws Exception {
    server = RecordingServer.start();
    try (ServerSocket socket = new ServerSocket(0)) {
      refusedBase = "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Stream<Arguments> clients() {
    List<Arguments> all = new ArrayList<>();
    for (Path javaHome : AgentJvm.testJavaHomes()) {
      all.add(Arguments.of("jdk", javaHome));
      all.add(Arguments.of("urlconnection", javaHome));
    }
    Path home = Paths.get(System.getProperty("java.home"));
    all.add(Arguments.of("okhttp", home));
    all.add(Arguments.of("okhttp3", home));
    all.add(Arguments.of("apache4", home));
    all.add(Arguments.of("apache5", home));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("clients")
  void callsAreTracedPropagatedAndUnchanged(String client, Path javaHome) throws Exception {
    server.clear();
    Map<String, String> without = run(client, javaHome, null);
    List<RecordingServer.Received> receivedWithout = List.copyOf(server.received());
    server.clear();

    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      Map<String, String> with = run(client, javaHome, receiver);
      assertThat(with).as("what the app observed, with vs without the agent").isEqualTo(without);
      assertThat(server.received()).hasSameSizeAs(receivedWithout);

      List<String> scenarios = new ArrayList<>(with.keySet());
      List<ReceivedSpan> spans = receiver.awaitSpans(
          s -> clientSpans(s).size() >= scenarios.size(), EXPORT_WAIT);
      List<ReceivedSpan> clientSpans = clientSpans(spans);
      String base = "http://127.0.0.1:" + server.port();

      ReceivedSpan get = only(clientSpans, base + "/get?user=REDACTED&token=REDACTED");
      assertThat(get.name()).isEqualTo("GET");
      assertThat(get.attribute("http.request.method")).isEqualTo("GET");
      assertThat(get.attribute("server.address")).isEqualTo("127.0.0.1");
      assertThat(get.attribute("server.port")).isEqualTo(String.valueOf(server.port()));
      assertThat(get.attribute("http.response.status_code")).isEqualTo("200");
      assertThat(get.attribute("network.protocol.version")).isEqualTo("1.1");
      assertThat(get.attribute("error.type")).isNull();
      assertThat(get.parentSpanId()).isEmpty();
      assertPropagated(get, "/get");
      assertThat(receivedAt("/get").get(0).header("X-App")).isEqualTo("mine");

      ReceivedSpan post = only(clientSpans, base + "/echo");
      assertThat(post.name()).isEqualTo("POST");
      assertThat(post.attribute("http.response.status_code")).isEqualTo("200");
      assertThat(receivedAt("/echo").get(0).body()).isEqualTo(ClientScenarios.BODY);
      assertPropagated(post, "/echo");

      ReceivedSpan notFound = only(clientSpans, base + "/status/404");
      assertThat(notFound.attribute("http.response.status_code")).isEqualTo("404");
      assertThat(notFound.attribute("error.type")).isEqualTo("404");
      assertPropagated(notFound, "/status/404");

      ReceivedSpan serverError = only(clientSpans, base + "/status/500");
      assertThat(serverError.attribute("http.response.status_code")).isEqualTo("500");
      assertThat(serverError.attribute("error.type")).isEqualTo("500");
      assertThat(serverError.isError()).isTrue();
      assertPropagated(serverError, "/status/500");

      ReceivedSpan refused = only(clientSpans, refusedBase + "/refused");
      assertThat(with.get("refused")).startsWith("EXCEPTION ");
      assertThat(refused.attribute("error.type")).isEqualTo(exceptionClass(with.get("refused")));
      assertThat(refused.attribute("http.response.status_code")).isNull();
      assertThat(refused.isError()).isTrue();

      ReceivedSpan timeout = only(clientSpans, base + "/slow");
      assertThat(with.get("timeout")).startsWith("EXCEPTION ");
      assertThat(timeout.attribute("error.type")).isEqualTo(exceptionClass(with.get("timeout")));

      only(clientSpans, base + "/app-header");
      assertThat(receivedAt("/app-header").get(0).headerValues("traceparent"))
          .containsExactly(ClientScenarios.APP_TRACEPARENT);

      // A redirect the client follows: one span for the call, and both requests carry its context.
      ReceivedSpan redirect = only(clientSpans, base + "/redirect");
      assertThat(with.get("redirect")).startsWith("200 ");
      assertThat(redirect.attribute("http.response.status_code")).isEqualTo("200");
      assertPropagated(redirect, "/redirect");
      assertPropagated(redirect, "/ok");
      if (!client.equals("urlconnection")) {
        assertThat(redirect.attribute("http.request.resend_count")).isEqualTo("1");
      }

      if (with.containsKey("async")) {
        ReceivedSpan async = only(clientSpans, base + "/async");
        assertThat(async.attribute("http.response.status_code")).isEqualTo("200");
        assertPropagated(async, "/async");
      }
      assertThat(clientSpans).as("one span per call").hasSize(scenarios.size());

      receiver.awaitMetrics(m -> ReceivedMetric.histogramCount(m, "http.client.request.duration",
          Map.of("http.request.method", "GET", "server.address", "127.0.0.1",
              "server.port", String.valueOf(server.port()), "http.response.status_class", "4xx")) >= 1,
          EXPORT_WAIT);
      List<ReceivedMetric> metrics = receiver.metrics();
      assertThat(ReceivedMetric.histogramCount(metrics, "http.client.request.duration",
          Map.of("http.request.method", "POST", "http.response.status_class", "2xx"))).isEqualTo(1);
      assertThat(metrics.toString()).as("no URL in metric attributes").doesNotContain("/status/404");
    }
  }

  /** Runs the scenarios in a child JVM and returns scenario → outcome as the app printed them. */
  private static Map<String, String> run(String client, Path javaHome, OtlpStubReceiver receiver) {
    String library = client.equals("okhttp3") ? "okhttp" : client;
    AgentJvm.Builder builder = AgentJvm.builder(ClientScenarios.class.getName())
        .javaHome(javaHome)
        .args(library, "http://127.0.0.1:" + server.port(), refusedBase);
    if (client.equals("okhttp3")) {
      builder.classpath(testClassesDir() + File.pathSeparator
          + Paths.get(System.getProperty("sketchtrace.libs.dir"), "okhttp3") + File.separator + "*");
    }
    if (receiver == null) {
      builder.withoutAgent();
    } else {
      builder.exportTo(receiver).systemProperty("otel.service.name", "http-client-" + client);
    }
    try (RunningJvm jvm = builder.start()) {
      jvm.awaitOutput("DONE", Duration.ofSeconds(60));
      if (receiver != null) {
        // Stay up until the spans are exported; the caller closes the receiver afterwards.
        receiver.awaitSpans(s -> !s.isEmpty(), EXPORT_WAIT);
        receiver.awaitSpans(s -> clientSpans(s).size() >= countResults(jvm.stdout()), EXPORT_WAIT);
        receiver.awaitMetrics(m -> !m.isEmpty(), EXPORT_WAIT);
      }
      Map<String, String> outcomes = new LinkedHashMap<>();
      for (String line : jvm.stdout().split("\\R")) {
        if (line.startsWith("RESULT ")) {
          String[] parts = line.split(" ", 3);
          outcomes.put(parts[1], parts[2]);
        }
      }
      return outcomes;
    }
  }

  private static int countResults(String stdout) {
    return (int) stdout.lines().filter(l -> l.startsWith("RESULT ")).count();
  }

  private static String testClassesDir() {
    try {
      return Paths.get(ClientScenarios.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<ReceivedSpan> clientSpans(List<ReceivedSpan> spans) {
    return spans.stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_CLIENT).collect(Collectors.toList());
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String urlFull) {
    List<ReceivedSpan> matching = spans.stream().filter(s -> urlFull.equals(s.attribute("url.full"))).toList();
    assertThat(matching).as("client spans with url.full " + urlFull + " among " + spans).hasSize(1);
    ReceivedSpan span = matching.get(0);
    assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    return span;
  }

  private static List<RecordingServer.Received> receivedAt(String path) {
    return server.received().stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The server saw one traceparent naming {@code span}: its trace id and its span id as parent. */
  private static void assertPropagated(ReceivedSpan span, String path) {
    List<RecordingServer.Received> received = receivedAt(path);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).headerValues("traceparent"))
        .containsExactly("00-" + span.traceId() + "-" + span.spanId() + "-01");
  }

  private static String exceptionClass(String outcome) {
    return outcome.substring("EXCEPTION ".length()).trim();
  }
}
