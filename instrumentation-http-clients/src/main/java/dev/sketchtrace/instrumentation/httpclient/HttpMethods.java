package dev.sketchtrace.instrumentation.httpclient;

/**
 * The HTTP methods semantic conventions know; anything else is reported as {@code _OTHER} so that
 * a client sending made-up methods cannot blow up metric cardinality. Stateless.
 */
final class HttpMethods {
  static final String OTHER = "_OTHER";

  private HttpMethods() {}

  /** The known method (as the canonical constant), {@code _OTHER}, or GET when absent. */
  static String normalize(String method) {
    if (method == null) {
      return "GET";
    }
    switch (method) {
      case "GET":
        return "GET";
      case "POST":
        return "POST";
      case "PUT":
        return "PUT";
      case "DELETE":
        return "DELETE";
      case "HEAD":
        return "HEAD";
      case "PATCH":
        return "PATCH";
      case "OPTIONS":
        return "OPTIONS";
      case "TRACE":
        return "TRACE";
      case "CONNECT":
        return "CONNECT";
      case "QUERY":
        return "QUERY";
      default:
        return OTHER;
    }
  }
}
