package dev.sketchtrace.instrumentation.servlet.javax;

import dev.sketchtrace.bootstrap.CallDepth;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.ThreadContext;
import dev.sketchtrace.bootstrap.servlet.AsyncSpanListener;
import dev.sketchtrace.bootstrap.servlet.ServerSpans;
import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.DispatcherType;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code javax.servlet.Servlet.service(ServletRequest, ServletResponse)} and {@code
 * javax.servlet.Filter.doFilter(ServletRequest, ServletResponse, FilterChain)} of every
 * implementation; binds only the first two arguments, so one advice serves both.
 *
 * <p>Only the outermost call of a thread ({@link CallDepth#SERVLET} depth 0) acts: filters,
 * forwards and includes nested in it pass through. On enter it resumes the request's open span (a
 * later async or error dispatch of the same request) or starts one with the facts every request
 * needs, and makes it current. On exit — which runs on normal return and on a thrown exception —
 * it records the route, reads the span-only request details if the span may be exported, and ends
 * the span with the status the client gets unless the request went async, in which case a
 * listener ends it; it stores the span in the request only when a later dispatch may look for it.
 * Everything that is not a servlet call is in {@link ServerSpans}; this class is the mirror of the
 * {@code jakarta} advice and differs from it in imports only.
 *
 * <p>{@code getHttpServletMapping} is Servlet 4.0: on a 3.x container the first call fails with a
 * linkage error, which is caught and remembered ({@link ServletSettings#servletMappingAvailable}),
 * and spans there carry no servlet-mapping route.
 */
public final class JavaxServiceAdvice {
  private JavaxServiceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static HttpServerSpan enter(
      @Advice.Argument(0) ServletRequest request,
      @Advice.Local("sketchtraceContext") ThreadContext context,
      @Advice.Local("sketchtracePrevious") SpanEvent previous) {
    // One thread-local lookup per call, kept for the exit: every filter of the chain runs this.
    context = ThreadContext.get();
    if (context.enter(CallDepth.SERVLET) != 0 || !(request instanceof HttpServletRequest)) {
      return null;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    // A request's first dispatch has no span stored yet; only a later one (async, error) can.
    Object stored =
        http.getDispatcherType() == DispatcherType.REQUEST
            ? null
            : http.getAttribute(ServerSpans.REQUEST_ATTRIBUTE);
    HttpServerSpan span;
    if (stored != null) {
      span = ServerSpans.resumable(stored);
    } else {
      String uri = http.getRequestURI();
      String contextPath = http.getContextPath();
      if (ServletSettings.isExcluded(uri, contextPath == null ? 0 : contextPath.length())) {
        http.setAttribute(ServerSpans.REQUEST_ATTRIBUTE, ServerSpans.EXCLUDED);
        return null;
      }
      String traceparent = http.getHeader("traceparent");
      span =
          ServerSpans.start(
              traceparent,
              // tracestate means nothing without traceparent: one header lookup less per request.
              traceparent == null ? null : http.getHeader("tracestate"),
              http.getMethod(),
              http.getScheme(),
              uri,
              contextPath);
      // No request attribute yet: the exit stores the span only if the request may be dispatched
      // again (ServerSpans.mayBeDispatchedAgain); nested dispatches are told apart by CallDepth.
    }
    if (span != null) {
      previous = context.attach(span);
    }
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response,
      @Advice.Enter HttpServerSpan span,
      @Advice.Local("sketchtraceContext") ThreadContext context,
      @Advice.Local("sketchtracePrevious") SpanEvent previous,
      @Advice.Thrown Throwable thrown) {
    if (context == null) {
      return; // the enter advice failed before it counted this call
    }
    context.exit(CallDepth.SERVLET);
    if (span == null) {
      return;
    }
    context.attach(previous);
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    Object springPattern = http.getAttribute(ServerSpans.SPRING_PATTERN_ATTRIBUTE);
    String servletPattern = null;
    // The servlet mapping is only consulted when nothing more specific is known (see
    // ServerSpans.route); building it costs the container an object and string copies per request.
    if (springPattern == null
        && span.route() == null
        && span.routeTemplates() == null
        && ServletSettings.servletMappingAvailable()) {
      try {
        HttpServletMapping mapping = http.getHttpServletMapping();
        servletPattern = mapping == null ? null : mapping.getPattern();
      } catch (LinkageError servlet3x) {
        ServletSettings.servletMappingUnavailable();
      }
    }
    ServerSpans.route(span, springPattern, servletPattern);
    boolean async = thrown == null && http.isAsyncStarted();
    int status = httpResponse.getStatus();
    // Span-only facts, read while the request is live and only if the span may be exported.
    if (ServerSpans.needsRequestDetails(span, status, thrown)) {
      String[] names = ServletSettings.requestHeaders();
      String[] values = names.length == 0 ? null : new String[names.length];
      for (int i = 0; i < names.length; i++) {
        values[i] = http.getHeader(names[i]);
      }
      ServerSpans.requestDetails(
          span,
          http.getServerName(),
          http.getServerPort(),
          http.getQueryString(),
          http.getProtocol(),
          http.getHeader("User-Agent"),
          http.getRemoteAddr(),
          http.getHeader("Forwarded"),
          http.getHeader("X-Forwarded-For"),
          values);
    }
    // Header capture is off by default: then no getHeader reference is made at all.
    boolean captureHeaders = ServletSettings.responseHeaders().length > 0;
    if (async) {
      http.setAttribute(ServerSpans.REQUEST_ATTRIBUTE, span);
      http.getAsyncContext()
          .addListener(
              (AsyncListener)
                  AsyncSpanListener.create(
                      AsyncListener.class,
                      span,
                      httpResponse::getStatus,
                      captureHeaders ? httpResponse::getHeader : null,
                      AsyncEvent::getThrowable));
      return;
    }
    if (captureHeaders) {
      ServerSpans.captureResponseHeaders(span, httpResponse::getHeader);
    }
    if (ServerSpans.mayBeDispatchedAgain(status, thrown)) {
      http.setAttribute(ServerSpans.REQUEST_ATTRIBUTE, span);
    }
    ServerSpans.finish(span, status, thrown, thrown != null && httpResponse.isCommitted());
  }
}
