package dev.sketchtrace.it.servlet;

import dev.sketchtrace.testing.AgentJvm;
import java.util.List;

/** Jetty 12 ee10 (jakarta.servlet 6.0), embedded, on the test class path. */
class Jetty12ServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(Jetty12App.class.getName());
  }

  @Override
  List<Case> cases() {
    return plainServletCases();
  }
}
