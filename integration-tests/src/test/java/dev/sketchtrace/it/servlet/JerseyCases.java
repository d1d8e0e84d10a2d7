package dev.sketchtrace.it.servlet;

import dev.sketchtrace.it.servlet.ServerSpanContract.Case;
import java.util.List;

/**
 * The cases of the Jersey apps ({@link Jersey3Tomcat10App}, {@link Jersey2Tomcat9App}): a resource
 * method is named by its full template — servlet path, class {@code @Path}, sub-resource locator,
 * method {@code @Path} — and a path Jersey does not match keeps the servlet mapping as its route.
 */
final class JerseyCases {
  private JerseyCases() {}

  static List<Case> all() {
    return List.of(
        Case.of("owner", "/api/owners/42", 200, "GET /api/owners/{id}", "/api/owners/{id}"),
        Case.of("owners", "/api/owners?page=2", 200, "GET /api/owners", "/api/owners"),
        Case.of(
            "visit",
            "/api/owners/42/visits/7",
            200,
            "GET /api/owners/{id}/visits/{visitId}",
            "/api/owners/{id}/visits/{visitId}"),
        Case.of("unavailable", "/api/owners/unavailable", 503, "GET /api/owners/unavailable", "/api/owners/unavailable")
            .failingWith("503"),
        Case.of("async", "/api/owners/async", 202, "GET /api/owners/async", "/api/owners/async"),
        Case.of("unmatched", "/api/nothing", 404, "GET /api/*", "/api/*"),
        Case.of("servlet", "/hello", 200, "GET /hello", "/hello"),
        Case.of("traceparent", "/api/owners/7", 200, "GET /api/owners/{id}", "/api/owners/{id}")
            .continuingTrace(),
        Case.of("excluded", "/api/health", 200, null, null).excludedByConfig());
  }
}
