package dev.sketchtrace.it.servlet;

import dev.sketchtrace.it.servlet.boot.BootApp;
import dev.sketchtrace.testing.AgentJvm;
import java.util.List;

/** A Spring Boot 3.5 app on its embedded Tomcat: routes are Spring MVC's patterns. */
class SpringBootServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(BootApp.class.getName());
  }

  @Override
  List<Case> cases() {
    return List.of(
        Case.of("owner", "/owners/42", 200, "GET /owners/{ownerId}", "/owners/{ownerId}"),
        Case.of("boom", "/boom", 500, "GET /boom", "/boom").failingWith("jakarta.servlet.ServletException"),
        Case.of("unavailable", "/unavailable", 503, "GET /unavailable", "/unavailable").failingWith("503"),
        Case.of("deferred", "/deferred/7", 200, "GET /deferred/{id}", "/deferred/{id}"),
        Case.of("missing", "/missing", 404, "GET /**", "/**"),
        Case.of("traceparent", "/owners/1", 200, "GET /owners/{ownerId}", "/owners/{ownerId}").continuingTrace(),
        Case.of("excluded", "/actuator/health", 404, null, null).excludedByConfig());
  }
}
