package dev.sketchtrace.instrumentation.httpclient;

import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;

/**
 * What an outgoing HTTP call means in OpenTelemetry terms (stable HTTP semantic conventions): the
 * {@code http.client.request.duration} histogram, a CLIENT span named after the method, and its
 * attributes. Shared by every client module: the events are alike whoever produced them.
 *
 * <p>Series attributes are bounded by construction: the normalized method (unknown methods fold
 * into {@code _OTHER}), the server address and port, and the status class ({@code 2xx} ...
 * {@code 5xx}) — never the URL. Folder thread only; holds no mutable state, so one instance serves
 * every module.
 */
public final class HttpClientSpanMapper implements SpanMapper<HttpClientSpan> {
  public static final String METRIC = "http.client.request.duration";
  public static final HttpClientSpanMapper INSTANCE = new HttpClientSpanMapper();

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  /** Status codes as strings, made once, so error.type costs no allocation per failed call. */
  private static final String[] STATUS_STRINGS = new String[600];

  static {
    for (int i = 100; i < STATUS_STRINGS.length; i++) {
      STATUS_STRINGS[i] = Integer.toString(i);
    }
  }

  private HttpClientSpanMapper() {}

  @Override
  public Class<HttpClientSpan> eventType() {
    return HttpClientSpan.class;
  }

  @Override
  public String metricName(HttpClientSpan event) {
    return METRIC;
  }

  @Override
  public void seriesAttributes(HttpClientSpan event, AttributeSink series) {
    series.put("http.request.method", HttpMethods.normalize(event.method()));
    String url = rawUrl(event);
    series.put("server.address", serverAddress(event, url));
    int port = serverPort(event, url);
    if (port > 0) {
      series.put("server.port", port);
    }
    series.put("http.response.status_class", statusClass(event.statusCode()));
  }

  @Override
  public String errorType(HttpClientSpan event) {
    if (event.errorType() != null) {
      return event.errorType();
    }
    if (event.exception() != null) {
      return event.exception().getClass().getName();
    }
    int status = event.statusCode();
    if (status >= 400) {
      return status < STATUS_STRINGS.length ? STATUS_STRINGS[status] : Integer.toString(status);
    }
    return null;
  }

  @Override
  public String spanName(HttpClientSpan event) {
    String method = HttpMethods.normalize(event.method());
    return HttpMethods.OTHER.equals(method) ? "HTTP" : method;
  }

  @Override
  public void spanAttributes(HttpClientSpan event, AttributeSink span) {
    String method = HttpMethods.normalize(event.method());
    span.put("http.request.method", method);
    if (HttpMethods.OTHER.equals(method) && event.method() != null) {
      span.put("http.request.method_original", event.method());
    }
    String url = rawUrl(event);
    span.put("url.full", UrlSanitizer.sanitize(url));
    span.put("server.address", serverAddress(event, url));
    int port = serverPort(event, url);
    if (port > 0) {
      span.put("server.port", port);
    }
    if (event.statusCode() > 0) {
      span.put("http.response.status_code", event.statusCode());
    }
    span.put("network.protocol.version", protocolVersion(event.protocolVersion()));
    if (event.resendCount() > 0) {
      span.put("http.request.resend_count", event.resendCount());
    }
  }

  /** The URL string the advice recorded, or the client's URL object turned into one here. */
  private static String rawUrl(HttpClientSpan event) {
    if (event.url() != null) {
      return event.url();
    }
    Object raw = event.rawUrl();
    return raw == null ? null : raw.toString();
  }

  private static String serverAddress(HttpClientSpan event, String url) {
    String address = event.serverAddress();
    if (address != null && !address.isEmpty()) {
      if (address.length() > 2 && address.charAt(0) == '[') {
        return address.substring(1, address.length() - 1);
      }
      return address;
    }
    return UrlSanitizer.host(url);
  }

  /** The port the call went to: the recorded one, else the scheme's default. */
  private static int serverPort(HttpClientSpan event, String url) {
    if (event.serverPort() > 0) {
      return event.serverPort();
    }
    String scheme = UrlSanitizer.scheme(url);
    if ("http".equals(scheme) || "ws".equals(scheme)) {
      return 80;
    }
    if ("https".equals(scheme) || "wss".equals(scheme)) {
      return 443;
    }
    return -1;
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100 - 1] : null;
  }

  /**
   * {@code network.protocol.version} from what the clients report: OkHttp's {@code http/1.1} and
   * {@code h2}, the JDK client's {@code HTTP_1_1} and {@code HTTP_2}, or a plain {@code 1.1}.
   */
  static String protocolVersion(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    switch (raw) {
      case "HTTP_1_1":
      case "http/1.1":
      case "HTTP/1.1":
      case "1.1":
        return "1.1";
      case "http/1.0":
      case "HTTP/1.0":
      case "1.0":
        return "1.0";
      case "HTTP_2":
      case "h2":
      case "h2_prior_knowledge":
      case "HTTP/2":
      case "HTTP/2.0":
      case "2":
        return "2";
      case "HTTP_3":
      case "h3":
      case "quic":
      case "3":
        return "3";
      default:
        return raw;
    }
  }
}
