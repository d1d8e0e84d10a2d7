package dev.sketchtrace.bootstrap.servlet;

import java.util.List;

/**
 * The servlet instrumentation's configuration as the advice reads it on the request path: which
 * paths are excluded, which request and response headers are captured. Set once by the servlet
 * module's {@code configure} before any advice is installed (and by tests).
 *
 * <p>Thread-safety: each setting is an immutable array published through a volatile field; readers
 * see either the old or the new array, never a mix.
 */
public final class ServletSettings {
  private static final PathGlob[] NONE = new PathGlob[0];
  private static final String[] NO_HEADERS = new String[0];

  private static volatile PathGlob[] excludes = NONE;
  private static volatile String[] requestHeaders = NO_HEADERS;
  private static volatile String[] responseHeaders = NO_HEADERS;
  // Benign race: several threads may see true and each fail once before one write is visible.
  private static volatile boolean servletMappingAvailable = true;

  private ServletSettings() {}

  /**
   * @param excludeGlobs path globs relative to the context path, e.g. {@code /health}, {@code
   *     /actuator/*}
   * @param requestHeaderNames request headers to capture as span attributes (case-insensitive)
   * @param responseHeaderNames response headers to capture as span attributes
   */
  public static void configure(
      List<String> excludeGlobs, List<String> requestHeaderNames, List<String> responseHeaderNames) {
    PathGlob[] globs = new PathGlob[excludeGlobs.size()];
    for (int i = 0; i < globs.length; i++) {
      globs[i] = new PathGlob(excludeGlobs.get(i));
    }
    excludes = globs;
    requestHeaders = lowerCase(requestHeaderNames);
    responseHeaders = lowerCase(responseHeaderNames);
  }

  /**
   * Whether the request for {@code requestUri} (which starts with the context path of length
   * {@code contextPathLength}) is excluded from spans and metrics. Allocation-free.
   */
  public static boolean isExcluded(String requestUri, int contextPathLength) {
    PathGlob[] globs = excludes;
    if (globs.length == 0 || requestUri == null) {
      return false;
    }
    int from = contextPathLength <= requestUri.length() ? Math.max(contextPathLength, 0) : 0;
    for (PathGlob glob : globs) {
      if (glob.matches(requestUri, from)) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case request header names to capture, in a fixed order; empty when off (the default). */
  public static String[] requestHeaders() {
    return requestHeaders;
  }

  /** Lower-case response header names to capture; empty when off (the default). */
  public static String[] responseHeaders() {
    return responseHeaders;
  }

  /**
   * Whether {@code HttpServletRequest.getHttpServletMapping()} (Servlet 4.0+) may be called; false
   * once a call failed with a linkage error on a Servlet 3.x container.
   */
  public static boolean servletMappingAvailable() {
    return servletMappingAvailable;
  }

  /** Records that the container's servlet API predates {@code getHttpServletMapping()}. */
  public static void servletMappingUnavailable() {
    servletMappingAvailable = false;
  }

  private static String[] lowerCase(List<String> names) {
    String[] out = new String[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = names.get(i).trim().toLowerCase(java.util.Locale.ROOT);
    }
    return out;
  }
}
