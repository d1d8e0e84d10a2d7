package dev.sketchtrace.instrumentation.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.servlet.ServerSpans;
import org.junit.jupiter.api.Test;

/** How JAX-RS templates become a route, and where they stand among the other route sources. */
class TemplateRouteTest {

  @Test
  void partsAreJoinedWithSingleSlashesAndNoTrailingOne() {
    assertThat(TemplateRoute.of("/shop/api/", new String[] {"/owners", "/{id}"})).isEqualTo("/shop/api/owners/{id}");
    assertThat(TemplateRoute.of("/", new String[] {"owners/", "{id}/"})).isEqualTo("/owners/{id}");
    assertThat(TemplateRoute.of("/api/", new String[] {"/owners", ""})).isEqualTo("/api/owners");
    assertThat(TemplateRoute.of("/api//", new String[] {"//owners//"})).isEqualTo("/api/owners");
  }

  @Test
  void theRootIsASlashAndNoTemplatesIsNoRoute() {
    assertThat(TemplateRoute.of("/", new String[] {"/"})).isEqualTo("/");
    assertThat(TemplateRoute.of(null, new String[0])).isEqualTo("/");
    assertThat(TemplateRoute.of("/api/", null)).isNull();
  }

  @Test
  void templatesWinOverTheServletMappingButSpringsPatternWinsOverBoth() {
    HttpServerSpan jaxRs = span();
    ServerSpans.templateRoute(jaxRs, "/shop/api/", new String[] {"/owners", "/{id}"});
    ServerSpans.route(jaxRs, null, "/api/*");
    assertThat(HttpServerSpanMapper.route(jaxRs)).isEqualTo("/shop/api/owners/{id}");

    HttpServerSpan spring = span();
    ServerSpans.templateRoute(spring, "/shop/", new String[] {"/owners", "/{id}"});
    ServerSpans.route(spring, "/owners/{ownerId}", "/");
    assertThat(HttpServerSpanMapper.route(spring)).isEqualTo("/shop/owners/{ownerId}");

    HttpServerSpan unmatched = span(); // Jersey found no resource method: no templates
    ServerSpans.route(unmatched, null, "/api/*");
    assertThat(HttpServerSpanMapper.route(unmatched)).isEqualTo("/shop/api/*");
  }

  @Test
  void nothingIsRecordedOnAnEndedSpan() {
    HttpServerSpan ended = span();
    dev.sketchtrace.bootstrap.EventQueue.install(4);
    ended.end();
    ServerSpans.templateRoute(ended, "/api/", new String[] {"/late"});
    assertThat(ended.routeTemplates()).isNull();
  }

  private static HttpServerSpan span() {
    HttpServerSpan span = new HttpServerSpan(null, null);
    span.setContextPath("/shop");
    return span;
  }
}
