package dev.sketchtrace.it.servlet;

import dev.sketchtrace.testing.AgentJvm;
import java.util.List;

/** Tomcat 10.1 (jakarta.servlet 6.0), embedded, on the test class path. */
class Tomcat10ServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(Tomcat10App.class.getName());
  }

  @Override
  List<Case> cases() {
    return plainServletCases();
  }
}
