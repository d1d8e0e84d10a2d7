package dev.sketchtrace.instrumentation.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpClientSpanMapperTest {
  private final HttpClientSpanMapper mapper = HttpClientSpanMapper.INSTANCE;

  private static HttpClientSpan span(String method, Object rawUrl, String host, int port) {
    HttpClientSpan span = new HttpClientSpan(null);
    span.setMethod(method);
    span.setRawUrl(rawUrl);
    span.setServerAddress(host);
    span.setServerPort(port);
    return span;
  }

  @Test
  void seriesAreKeyedByMethodServerAndStatusClassNeverByUrl() {
    HttpClientSpan span = span("GET", URI.create("http://api.local:8080/users/42?token=t"), "api.local", 8080);
    span.setStatusCode(204);
    RecordingSink series = new RecordingSink();

    mapper.seriesAttributes(span, series);

    assertThat(mapper.metricName(span)).isEqualTo("http.client.request.duration");
    assertThat(series.attributes)
        .containsExactly(
            entry("http.request.method", "GET"),
            entry("server.address", "api.local"),
            entry("server.port", 8080L),
            entry("http.response.status_class", "2xx"));
  }

  @Test
  void twoUrlsOfOneServerShareASeries() {
    HttpClientSpan a = span("GET", URI.create("http://h:1/a?x=1"), "h", 1);
    HttpClientSpan b = span("GET", URI.create("http://h:1/b/c"), "h", 1);
    RecordingSink sa = new RecordingSink();
    RecordingSink sb = new RecordingSink();
    mapper.seriesAttributes(a, sa);
    mapper.seriesAttributes(b, sb);
    assertThat(sa.attributes).isEqualTo(sb.attributes);
  }

  @Test
  void spanAttributesFollowSemanticConventionsAndAreSanitized() {
    HttpClientSpan span = span("POST", URI.create("https://bob:pw@pay.example/charge?card=4111"), "pay.example", -1);
    span.setStatusCode(201);
    span.setProtocolVersion("HTTP_2");
    span.recordAttempt();
    span.recordAttempt();
    RecordingSink attrs = new RecordingSink();

    mapper.spanAttributes(span, attrs);

    assertThat(mapper.spanName(span)).isEqualTo("POST");
    assertThat(attrs.attributes)
        .containsEntry("http.request.method", "POST")
        .containsEntry("url.full", "https://pay.example/charge?card=REDACTED")
        .containsEntry("server.address", "pay.example")
        .containsEntry("server.port", 443L)
        .containsEntry("http.response.status_code", 201L)
        .containsEntry("network.protocol.version", "2")
        .containsEntry("http.request.resend_count", 1L);
    assertThat(mapper.errorType(span)).isNull();
  }

  @Test
  void unknownMethodsFoldIntoOther() {
    HttpClientSpan span = span("PURGE", "http://cache/x", null, -1);
    RecordingSink attrs = new RecordingSink();
    RecordingSink series = new RecordingSink();
    mapper.spanAttributes(span, attrs);
    mapper.seriesAttributes(span, series);

    assertThat(mapper.spanName(span)).isEqualTo("HTTP");
    assertThat(attrs.attributes)
        .containsEntry("http.request.method", "_OTHER")
        .containsEntry("http.request.method_original", "PURGE")
        .containsEntry("server.address", "cache")
        .containsEntry("server.port", 80L);
    assertThat(series.attributes).containsEntry("http.request.method", "_OTHER");
  }

  @Test
  void errorTypeIsTheStatusFrom400OnOrTheExceptionClass() {
    HttpClientSpan notFound = span("GET", "http://h/x", "h", 80);
    notFound.setStatusCode(404);
    HttpClientSpan serverError = span("GET", "http://h/x", "h", 80);
    serverError.setStatusCode(503);
    HttpClientSpan refused = span("GET", "http://h/x", "h", 80);
    refused.recordException(new ConnectException("refused"));
    HttpClientSpan redirect = span("GET", "http://h/x", "h", 80);
    redirect.setStatusCode(302);

    assertThat(mapper.errorType(notFound)).isEqualTo("404");
    assertThat(mapper.errorType(serverError)).isEqualTo("503");
    assertThat(mapper.errorType(refused)).isEqualTo("java.net.ConnectException");
    assertThat(mapper.errorType(redirect)).isNull();
  }

  @Test
  void aRefusedCallHasNoStatusClass() {
    HttpClientSpan refused = span("GET", "http://h:9/x", "h", 9);
    refused.recordException(new ConnectException("refused"));
    RecordingSink series = new RecordingSink();
    mapper.seriesAttributes(refused, series);
    assertThat(series.attributes).doesNotContainKey("http.response.status_class");
  }

  @Test
  void protocolVersionsOfEveryClientAreNormalized() {
    assertThat(HttpClientSpanMapper.protocolVersion("http/1.1")).isEqualTo("1.1");
    assertThat(HttpClientSpanMapper.protocolVersion("HTTP_1_1")).isEqualTo("1.1");
    assertThat(HttpClientSpanMapper.protocolVersion("h2")).isEqualTo("2");
    assertThat(HttpClientSpanMapper.protocolVersion("http/1.0")).isEqualTo("1.0");
    assertThat(HttpClientSpanMapper.protocolVersion(null)).isNull();
  }

  @Test
  void anIpv6ServerAddressLosesItsBrackets() {
    HttpClientSpan span = span("GET", "http://[::1]:8080/", "[::1]", 8080);
    RecordingSink series = new RecordingSink();
    mapper.seriesAttributes(span, series);
    assertThat(series.attributes).containsEntry("server.address", "::1");
  }
}
