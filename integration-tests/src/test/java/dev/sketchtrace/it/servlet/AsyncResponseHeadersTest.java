package dev.sketchtrace.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedSpan;
import dev.sketchtrace.testing.RunningJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Response header capture ({@code otel.instrumentation.http.server.capture-response-headers})
 * under the real agent, for a request completed asynchronously on another thread — whose headers
 * exist only once that thread wrote them, so they are read when the container reports completion —
 * and, as the reference, for synchronous ones. Tomcat 10.1 and Jetty 12 ({@link JakartaRoutes});
 * the javax twin of the advice is covered by the in-process advice tests.
 */
class AsyncResponseHeadersTest {
  private static final Duration STARTUP = Duration.ofSeconds(120);

  static Stream<Arguments> containers() {
    return Stream.of(
        Arguments.of("Tomcat 10.1", Tomcat10App.class.getName()),
        Arguments.of("Jetty 12", Jetty12App.class.getName()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("containers")
  void configuredResponseHeadersAreCapturedForAsyncAndSyncRequests(String container, String mainClass)
      throws Exception {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm app =
            AgentJvm.builder(mainClass)
                .exportTo(receiver)
                .systemProperty("otel.service.name", "async-headers")
                .systemProperty("otel.instrumentation.http.server.capture-request-headers", "x-test-case")
                .systemProperty(
                    "otel.instrumentation.http.server.capture-response-headers", "Content-Type,X-Filter")
                .start()) {
      int port = awaitPort(app);
      for (String path : new String[] {"/async", "/api/items", "/hello"}) {
        byte[] response = RawHttp.get(port, path, Map.of("x-test-case", path));
        assertThat(RawHttp.status(response)).as("status of %s", path).isLessThan(300);
      }
      List<ReceivedSpan> spans =
          receiver.awaitSpans(s -> server(s).size() >= 3, Duration.ofSeconds(60));

      ReceivedSpan async = byCase(spans, "/async");
      assertThat(async.attribute("http.response.status_code")).isEqualTo("202");
      assertThat(async.attribute("http.response.header.content-type"))
          .as("%s: content type the async thread set", container)
          .startsWith("text/plain");
      assertThat(async.attribute("http.response.header.x-filter")).isNull();

      ReceivedSpan filtered = byCase(spans, "/api/items");
      assertThat(filtered.attribute("http.response.header.x-filter")).isEqualTo("first");
      assertThat(filtered.attribute("http.response.header.content-type")).startsWith("text/plain");
      assertThat(byCase(spans, "/hello").attribute("http.response.header.content-type"))
          .startsWith("text/plain");
    }
  }

  private static List<ReceivedSpan> server(List<ReceivedSpan> spans) {
    return spans.stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
  }

  private static ReceivedSpan byCase(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> matching =
        server(spans).stream()
            .filter(s -> name.equals(s.attribute("http.request.header.x-test-case")))
            .toList();
    assertThat(matching).as("server spans of %s", name).hasSize(1);
    return matching.get(0);
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
}
