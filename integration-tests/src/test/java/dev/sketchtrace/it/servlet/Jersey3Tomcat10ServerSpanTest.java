package dev.sketchtrace.it.servlet;

import dev.sketchtrace.testing.AgentJvm;
import java.util.List;

/** Jersey 3.1 ({@code jakarta.ws.rs}) on Tomcat 10.1: JAX-RS templates as routes. */
class Jersey3Tomcat10ServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(Jersey3Tomcat10App.class.getName());
  }

  @Override
  List<Case> cases() {
    return JerseyCases.all();
  }
}
