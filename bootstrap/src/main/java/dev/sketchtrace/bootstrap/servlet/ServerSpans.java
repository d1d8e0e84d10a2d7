package dev.sketchtrace.bootstrap.servlet;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import java.util.function.Function;

/**
 * The servlet advice's shared logic, called with plain values that the {@code javax} or {@code
 * jakarta} advice extracted from its own request and response types.
 *
 * <p>The life of one request's span: the outermost {@code Servlet.service} or {@code
 * Filter.doFilter} of a request {@linkplain #start starts} it; when that call returns with the
 * request gone async or failed, the advice stores the span in the request attribute {@value
 * #REQUEST_ATTRIBUTE} ({@link #mayBeDispatchedAgain}), so that a later dispatch of the same request
 * (an async dispatch, an error dispatch) finds it there and {@linkplain #resumable resumes} it (or,
 * once ended, starts no second span). Every dispatch records the {@linkplain
 * #route route} it knows on exit; the last dispatch that does not leave the request in async mode
 * {@linkplain #finish finishes} it, or the async listener does.
 *
 * <p>Threads: a span is written by the thread running its request's current dispatch, then by
 * whichever thread completes it; the container orders those (the servlet specification makes a
 * dispatch happen-before the async completion it enables). {@link #finish} checks {@link
 * HttpServerSpan#isEnded()} first, so a second finisher (an async listener after a dispatch that
 * already finished) changes nothing.
 */
public final class ServerSpans {
  /** The request attribute holding the request's open span (a name of ours, never the app's). */
  public static final String REQUEST_ATTRIBUTE = "dev.sketchtrace.servlet.span";

  /**
   * What {@link #REQUEST_ATTRIBUTE} holds for an excluded request, so that its later dispatches
   * (Spring Boot's error dispatch to {@code /error}, say) start no span either.
   */
  public static final String EXCLUDED = "excluded";

  /**
   * Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}: read by name, so route
   * discovery loads no Spring class into an app that has none.
   */
  public static final String SPRING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private ServerSpans() {}

  /**
   * Starts the span of a new request from the facts every request needs (any may be null). The
   * {@code traceparent} header, when valid, makes the caller's span the parent; an invalid one
   * starts a new trace. The request details follow at exit, if at all: {@link #needsRequestDetails}.
   */
  public static HttpServerSpan start(
      String traceparent,
      String tracestate,
      String method,
      String scheme,
      String requestUri,
      String contextPath) {
    HttpServerSpan span = new HttpServerSpan(traceparent, tracestate);
    span.setMethod(method);
    span.setScheme(scheme);
    span.setPath(requestUri);
    span.setContextPath(contextPath);
    return span;
  }

  /**
   * Whether a dispatch that exits with {@code status} (and {@code thrown}) should read the request
   * details ({@link HttpServerSpan}'s class comment) before the request is gone: only for a span
   * that may be exported — one the head sampler chose, or a failure (an escaping exception or a
   * 5xx status: the folder keeps failed traces) — and only once. Metrics never need them.
   *
   * <p>A span the folder keeps only because it was slow, or whose failure shows only when an async
   * request completes, therefore carries no details: slowness is judged on the folder thread after
   * the request, when they can no longer be read. It still carries method, scheme, path, route,
   * status and any exception.
   */
  public static boolean needsRequestDetails(HttpServerSpan span, int status, Throwable thrown) {
    return !span.hasRequestDetails()
        && (span.isHeadSampled() || thrown != null || status >= 500);
  }

  /**
   * Records the request details read by the advice (any may be null).
   *
   * @param requestHeaderValues the values of {@link ServletSettings#requestHeaders}, in order, or
   *     null when none is configured
   */
  public static void requestDetails(
      HttpServerSpan span,
      String serverName,
      int serverPort,
      String query,
      String protocol,
      String userAgent,
      String remoteAddress,
      String forwarded,
      String forwardedFor,
      String[] requestHeaderValues) {
    span.setServerAddress(serverName);
    span.setServerPort(serverPort);
    span.setQuery(query);
    span.setProtocolVersion(protocol);
    span.setUserAgent(userAgent);
    span.setClientAddress(remoteAddress);
    span.setForwardedHeader(forwarded);
    span.setForwardedForHeader(forwardedFor);
    span.setRequestHeaderValues(requestHeaderValues);
    span.markRequestDetails();
  }

  /**
   * Whether a request whose dispatch returns synchronously with {@code status} (and {@code thrown})
   * must be stored in {@link #REQUEST_ATTRIBUTE} although its span ends now: the container may
   * still dispatch it to an error page (after {@code sendError}, an error status or an escaping
   * exception), and that dispatch must find the ended span and start no second one. A request that
   * succeeded is not dispatched again, so it skips the attribute write (a map insert and a listener
   * notification in the container, per request).
   */
  public static boolean mayBeDispatchedAgain(int status, Throwable thrown) {
    return thrown != null || status >= 400;
  }

  /**
   * The still-open span stored in a request attribute, or null when the attribute holds something
   * else or the span has already ended (a forward to an error page after the request finished).
   */
  public static HttpServerSpan resumable(Object requestAttribute) {
    if (requestAttribute instanceof HttpServerSpan) {
      HttpServerSpan span = (HttpServerSpan) requestAttribute;
      return span.isEnded() ? null : span;
    }
    return null;
  }

  /**
   * Records the most specific route known when a dispatch exits: Spring MVC's best matching
   * pattern if the request went through a {@code DispatcherServlet}, else nothing if a JAX-RS
   * runtime matched a resource method ({@link #templateRoute}: the folder builds the route from its
   * templates), else the servlet mapping's pattern ({@code /api/*}, {@code *.do}, {@code /exact}; {@code ""} for the context root). The
   * default servlet's mapping {@code /} is no route — it serves any path, and a raw path would
   * explode cardinality — so the span is then named by its method alone.
   *
   * @param springPattern the attribute's value (a String, or a {@code PathPattern} whose {@code
   *     toString} is its pattern), or null
   * @param servletPattern {@code HttpServletMapping.getPattern()}, or null when unknown (Servlet
   *     3.x)
   */
  public static void route(HttpServerSpan span, Object springPattern, String servletPattern) {
    if (span.isEnded()) {
      return;
    }
    if (springPattern != null) {
      span.setRoute(springPattern instanceof String ? (String) springPattern : springPattern.toString());
    } else if (servletPattern != null
        && span.route() == null
        && span.routeTemplates() == null
        && !"/".equals(servletPattern)) {
      // The first dispatch's mapping wins: a forward or error dispatch maps elsewhere, but the
      // client asked for the first.
      span.setRoute(servletPattern.isEmpty() ? "/" : servletPattern);
    }
  }

  /**
   * The open server span of the request this thread is serving — the local root of the current
   * span — or null when the thread serves none (or the request is excluded, or already ended).
   * For route discovery advice that runs inside the servlet call, such as a JAX-RS dispatch.
   */
  public static HttpServerSpan currentRequestSpan() {
    SpanEvent current = CurrentSpan.get();
    if (current == null) {
      return null;
    }
    SpanEvent root = current.localRoot();
    return root instanceof HttpServerSpan && !root.isEnded() ? (HttpServerSpan) root : null;
  }

  /**
   * Records what a JAX-RS runtime matched when it dispatches to a resource method; the last
   * dispatch wins (a request forwarded to another resource is named by the one that answered).
   * Only raw strings are kept: the folder joins them into the route.
   *
   * @param basePath the raw path of the runtime's base URI (context path + servlet path + {@code
   *     /})
   * @param templates the matched templates, outermost first
   */
  public static void templateRoute(HttpServerSpan span, String basePath, String[] templates) {
    if (!span.isEnded()) {
      span.setRouteTemplates(basePath, templates);
    }
  }

  /**
   * Records the values of the configured response headers ({@link ServletSettings#responseHeaders})
   * as {@code header} reads them; does nothing when none is configured (the default).
   *
   * @param header the response's {@code getHeader}
   */
  public static void captureResponseHeaders(HttpServerSpan span, Function<String, String> header) {
    String[] names = ServletSettings.responseHeaders();
    if (names.length == 0) {
      return;
    }
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = header.apply(names[i]);
    }
    span.setResponseHeaderValues(values);
  }

  /**
   * Ends the span with the status the client gets: {@code status} as the response holds it, or
   * 500 when an exception escaped before the response was committed (the container turns it into
   * a 500). Does nothing if the span has already ended.
   */
  public static void finish(HttpServerSpan span, int status, Throwable thrown, boolean committed) {
    if (span.isEnded()) {
      return;
    }
    span.setStatusCode(thrown != null && !committed ? 500 : status);
    if (thrown != null) {
      span.recordException(thrown);
    }
    span.end();
  }
}
