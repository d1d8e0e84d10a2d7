package dev.sketchtrace.instrumentation.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerSpanMapperTest {
  private final HttpServerSpanMapper mapper = new HttpServerSpanMapper();

  @AfterEach
  void resetSettings() {
    ServletSettings.configure(List.of(), List.of(), List.of());
  }

  private static HttpServerSpan span(String method, String route, int status) {
    HttpServerSpan span = new HttpServerSpan(null, null);
    span.setMethod(method);
    span.setScheme("https");
    span.setPath("/shop/owners/42");
    span.setContextPath("/shop");
    span.setRoute(route);
    span.setStatusCode(status);
    span.setServerAddress("example.com");
    span.setServerPort(8443);
    span.setClientAddress("10.0.0.9");
    span.setProtocolVersion("HTTP/1.1");
    span.setUserAgent("curl/8");
    return span;
  }

  @Test
  void seriesCarryMethodRouteWithContextPathStatusAndScheme() {
    RecordingSink series = new RecordingSink();
    mapper.seriesAttributes(span("GET", "/owners/{id}", 200), series);
    assertThat(mapper.metricName(span("GET", null, 200))).isEqualTo("http.server.request.duration");
    assertThat(series.values)
        .containsExactly(
            entry("http.request.method", "GET"),
            entry("http.route", "/shop/owners/{id}"),
            entry("http.response.status_code", 200L),
            entry("url.scheme", "https"));
  }

  @Test
  void spanNameIsMethodAndRouteOrMethodAloneNeverThePath() {
    assertThat(mapper.spanName(span("GET", "/owners/{id}", 200))).isEqualTo("GET /shop/owners/{id}");
    assertThat(mapper.spanName(span("POST", null, 404))).isEqualTo("POST");
    assertThat(mapper.spanName(span("BREW", null, 405))).isEqualTo("HTTP");
  }

  @Test
  void unknownMethodsFoldIntoOtherAndKeepTheOriginalOnTheSpan() {
    HttpServerSpan event = span("BREW", null, 405);
    RecordingSink series = new RecordingSink();
    RecordingSink attributes = new RecordingSink();
    mapper.seriesAttributes(event, series);
    mapper.spanAttributes(event, attributes);
    assertThat(series.values).containsEntry("http.request.method", "_OTHER");
    assertThat(attributes.values)
        .containsEntry("http.request.method", "_OTHER")
        .containsEntry("http.request.method_original", "BREW");
  }

  @Test
  void errorTypeIsTheExceptionClassElseTheStatusOf5xxElseNone() {
    HttpServerSpan thrown = span("GET", null, 500);
    thrown.recordException(new IllegalStateException());
    assertThat(mapper.errorType(thrown)).isEqualTo("java.lang.IllegalStateException");
    assertThat(mapper.errorType(span("GET", null, 503))).isEqualTo("503");
    assertThat(mapper.errorType(span("GET", null, 404))).isNull();
    assertThat(mapper.errorType(span("GET", null, 200))).isNull();
  }

  /**
   * The agent's folder adds {@code error.type} from {@link HttpServerSpanMapper#errorType} to the
   * series ({@code Folder.fold}) and to exported spans ({@code SpanEncoder}) itself, as
   * the {@code SpanMapper} contract says; a mapper that wrote it too put the key into the series
   * key twice.
   */
  @Test
  void errorTypeIsWrittenOnceWhenTheAgentAddsIt() {
    HttpServerSpan thrown = span("GET", "/owners/{id}", 500);
    thrown.recordException(new IllegalStateException());
    for (HttpServerSpan event : List.of(span("GET", null, 503), thrown)) {
      RecordingSink series = new RecordingSink();
      mapper.seriesAttributes(event, series);
      series.put("error.type", mapper.errorType(event)); // what Folder.fold does next
      assertThat(series.keys).doesNotHaveDuplicates().contains("error.type");
      RecordingSink attributes = new RecordingSink();
      mapper.spanAttributes(event, attributes);
      attributes.put("error.type", mapper.errorType(event)); // what SpanEncoder does
      assertThat(attributes.keys).doesNotHaveDuplicates().contains("error.type");
    }
  }

  @Test
  void spanAttributesFollowTheHttpConventions() {
    HttpServerSpan event = span("GET", "/owners/{id}", 200);
    event.setQuery("token=abc&flag&page=2");
    RecordingSink attributes = new RecordingSink();
    mapper.spanAttributes(event, attributes);
    assertThat(attributes.values)
        .containsEntry("url.path", "/shop/owners/42")
        .containsEntry("url.query", "token=REDACTED&flag&page=REDACTED")
        .containsEntry("url.scheme", "https")
        .containsEntry("http.route", "/shop/owners/{id}")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("server.address", "example.com")
        .containsEntry("server.port", 8443L)
        .containsEntry("client.address", "10.0.0.9")
        .containsEntry("network.peer.address", "10.0.0.9")
        .containsEntry("user_agent.original", "curl/8")
        .containsEntry("network.protocol.version", "1.1")
        .doesNotContainKey("error.type");
  }

  @Test
  void queryRedactionKeepsKeysAndSeparators() {
    assertThat(HttpServerSpanMapper.redactQuery("a=1")).isEqualTo("a=REDACTED");
    assertThat(HttpServerSpanMapper.redactQuery("")).isEqualTo("");
    assertThat(HttpServerSpanMapper.redactQuery("a=1&&b=")).isEqualTo("a=REDACTED&&b=REDACTED");
    assertThat(HttpServerSpanMapper.redactQuery("x=a=b")).isEqualTo("x=REDACTED");
    assertThat(HttpServerSpanMapper.redactQuery(null)).isNull();
  }

  @Test
  void protocolVersionIsSpelledAsTheConventionsDo() {
    assertThat(HttpServerSpanMapper.protocolVersion("HTTP/1.0")).isEqualTo("1.0");
    assertThat(HttpServerSpanMapper.protocolVersion("HTTP/2.0")).isEqualTo("2");
    assertThat(HttpServerSpanMapper.protocolVersion(null)).isNull();
  }

  @Test
  void clientAddressPrefersForwardedThenXForwardedForThenThePeer() {
    assertThat(ClientAddress.of("for=192.0.2.60;proto=http, for=198.51.100.17", "1.1.1.1", "peer"))
        .isEqualTo("192.0.2.60");
    assertThat(ClientAddress.of("For=\"[2001:db8:cafe::17]:4711\"", null, "peer"))
        .isEqualTo("2001:db8:cafe::17");
    assertThat(ClientAddress.of("for=192.0.2.43:8080", null, "peer")).isEqualTo("192.0.2.43");
    assertThat(ClientAddress.of("for=unknown", "203.0.113.7, 10.0.0.1", "peer"))
        .isEqualTo("203.0.113.7");
    assertThat(ClientAddress.of("proto=https", null, "peer")).isEqualTo("peer");
    assertThat(ClientAddress.of(null, null, "peer")).isEqualTo("peer");
  }

  @Test
  void capturedHeadersBecomeHeaderAttributes() {
    ServletSettings.configure(List.of(), List.of("X-Request-Id"), List.of("content-type"));
    HttpServerSpan event = span("GET", null, 200);
    event.setRequestHeaderValues(new String[] {"abc"});
    event.setResponseHeaderValues(new String[] {null});
    RecordingSink attributes = new RecordingSink();
    mapper.spanAttributes(event, attributes);
    assertThat(attributes.values)
        .containsEntry("http.request.header.x-request-id", "abc")
        .doesNotContainKey("http.response.header.content-type");
  }
}
