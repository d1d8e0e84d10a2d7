package dev.sketchtrace.instrumentation.servlet;

import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import java.util.Set;

/**
 * What a finished {@link HttpServerSpan} means under the stable HTTP semantic conventions: the
 * {@code http.server.request.duration} series (method, route, status code, scheme; the agent adds
 * {@code error.type} from {@link #errorType}), the span name {@code METHOD route} (or {@code METHOD}
 * when no route is known — never the raw path) and the span attributes, with query values redacted
 * and the client address taken from {@code Forwarded} / {@code X-Forwarded-For} when present.
 *
 * <p>Not thread-safe: the folder thread alone calls it (its header-key cache is unsynchronized).
 */
public final class HttpServerSpanMapper implements SpanMapper<HttpServerSpan> {
  static final String METRIC = "http.server.request.duration";
  static final String OTHER_METHOD = "_OTHER";
  static final String REDACTED = "REDACTED";
  private static final Set<String> KNOWN_METHODS =
      Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");
  private static final String[] STATUS_STRINGS = new String[600];

  static {
    for (int i = 100; i < STATUS_STRINGS.length; i++) {
      STATUS_STRINGS[i] = Integer.toString(i);
    }
  }

  private final HeaderKeys requestHeaderKeys = new HeaderKeys("http.request.header.");
  private final HeaderKeys responseHeaderKeys = new HeaderKeys("http.response.header.");

  @Override
  public Class<HttpServerSpan> eventType() {
    return HttpServerSpan.class;
  }

  @Override
  public String metricName(HttpServerSpan event) {
    return METRIC;
  }

  @Override
  public void seriesAttributes(HttpServerSpan event, AttributeSink series) {
    series.put("http.request.method", normalizedMethod(event.method()));
    series.put("http.route", route(event));
    if (event.statusCode() > 0) {
      series.put("http.response.status_code", (long) event.statusCode());
    }
    series.put("url.scheme", event.scheme());
    // No error.type here: the folder adds errorType() to the series (and to exported spans) itself.
  }

  /**
   * The exception's class name when one escaped, else an explicitly set error type, else the
   * status code for 5xx; null for success (a 4xx is the client's error, not the server's).
   */
  @Override
  public String errorType(HttpServerSpan event) {
    if (event.exception() != null) {
      return event.exception().getClass().getName();
    }
    if (event.errorType() != null) {
      return event.errorType();
    }
    int status = event.statusCode();
    return status >= 500 && status < STATUS_STRINGS.length ? STATUS_STRINGS[status] : null;
  }

  @Override
  public String spanName(HttpServerSpan event) {
    String method = normalizedMethod(event.method());
    String nameMethod = OTHER_METHOD.equals(method) ? "HTTP" : method;
    String route = route(event);
    return route == null ? nameMethod : nameMethod + ' ' + route;
  }

  @Override
  public void spanAttributes(HttpServerSpan event, AttributeSink span) {
    String method = normalizedMethod(event.method());
    span.put("http.request.method", method);
    if (OTHER_METHOD.equals(method)) {
      span.put("http.request.method_original", event.method());
    }
    span.put("url.path", event.path());
    span.put("url.scheme", event.scheme());
    span.put("url.query", redactQuery(event.query()));
    span.put("http.route", route(event));
    if (event.statusCode() > 0) {
      span.put("http.response.status_code", (long) event.statusCode());
    }
    span.put("server.address", event.serverAddress());
    if (event.serverPort() > 0) {
      span.put("server.port", (long) event.serverPort());
    }
    span.put(
        "client.address",
        ClientAddress.of(
            event.forwardedHeader(), event.forwardedForHeader(), event.clientAddress()));
    span.put("network.peer.address", event.clientAddress());
    span.put("user_agent.original", event.userAgent());
    span.put("network.protocol.version", protocolVersion(event.protocolVersion()));
    requestHeaderKeys.put(ServletSettings.requestHeaders(), event.requestHeaderValues(), span);
    responseHeaderKeys.put(ServletSettings.responseHeaders(), event.responseHeaderValues(), span);
  }

  /** The method if it is one of the known set, else {@code _OTHER} (bounded cardinality). */
  static String normalizedMethod(String method) {
    return method != null && KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
  }

  /**
   * The route including the context path, or null when none is known: the route the advice chose
   * (Spring MVC's pattern, or the servlet mapping), else the JAX-RS templates joined to their base
   * path (which already holds the context path).
   */
  static String route(HttpServerSpan event) {
    String route = event.route();
    if (route == null) {
      return TemplateRoute.of(event.routeBasePath(), event.routeTemplates());
    }
    String contextPath = event.contextPath();
    return contextPath == null || contextPath.isEmpty() ? route : contextPath + route;
  }

  /** {@code a=1&b&c=x} becomes {@code a=REDACTED&b&c=REDACTED}: keys stay, values never leave. */
  static String redactQuery(String query) {
    if (query == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(query.length() + 16);
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      int eq = query.indexOf('=', start);
      if (eq >= 0 && eq < end) {
        out.append(query, start, eq + 1).append(REDACTED);
      } else {
        out.append(query, start, end);
      }
      if (end < query.length()) {
        out.append('&');
      }
      start = end + 1;
    }
    return out.toString();
  }

  /** {@code HTTP/1.1} → {@code 1.1}, {@code HTTP/2.0} → {@code 2}, as the conventions spell it. */
  static String protocolVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    int slash = protocol.indexOf('/');
    String version = slash >= 0 ? protocol.substring(slash + 1) : protocol;
    return version.endsWith(".0") && !version.startsWith("1") ? version.substring(0, version.length() - 2) : version;
  }

  /** Attribute keys for configured header names, rebuilt only when the configuration changes. */
  private static final class HeaderKeys {
    private final String prefix;
    private String[] names = new String[0];
    private String[] keys = new String[0];

    HeaderKeys(String prefix) {
      this.prefix = prefix;
    }

    void put(String[] configuredNames, String[] values, AttributeSink sink) {
      if (values == null) {
        return;
      }
      if (configuredNames != names) {
        String[] rebuilt = new String[configuredNames.length];
        for (int i = 0; i < rebuilt.length; i++) {
          rebuilt[i] = prefix + configuredNames[i];
        }
        keys = rebuilt;
        names = configuredNames;
      }
      // A reconfiguration between capture and mapping may change the length: map what lines up.
      for (int i = 0; i < Math.min(values.length, keys.length); i++) {
        sink.put(keys[i], values[i]);
      }
    }
  }
}
