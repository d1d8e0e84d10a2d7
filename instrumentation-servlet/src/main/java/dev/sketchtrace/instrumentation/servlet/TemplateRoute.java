package dev.sketchtrace.instrumentation.servlet;

/**
 * The route of a request a JAX-RS runtime served: the path of its base URI (context path, servlet
 * path) followed by the path templates it matched, outermost first — {@code /shop/api/} with {@code
 * /owners} and {@code /{id}} is {@code /shop/api/owners/{id}}. Templates are kept as declared
 * (a regular expression in {@code {id: [0-9]+}} included): they are the app's own, finite set.
 *
 * <p>Stateless; folder thread (the joining is the string work the app thread must not do).
 */
final class TemplateRoute {
  private TemplateRoute() {}

  /**
   * The joined route, with exactly one slash between parts and none at the end (the root is
   * {@code /}); null when {@code templates} is null.
   */
  static String of(String basePath, String[] templates) {
    if (templates == null) {
      return null;
    }
    StringBuilder route = new StringBuilder(64);
    append(route, basePath);
    for (String template : templates) {
      append(route, template);
    }
    return route.length() == 0 ? "/" : route.toString();
  }

  /** Appends {@code /part} without its leading and trailing slashes; empty parts add nothing. */
  private static void append(StringBuilder route, String part) {
    if (part == null) {
      return;
    }
    int start = 0;
    int end = part.length();
    while (start < end && part.charAt(start) == '/') {
      start++;
    }
    while (end > start && part.charAt(end - 1) == '/') {
      end--;
    }
    if (start < end) {
      route.append('/').append(part, start, end);
    }
  }
}
