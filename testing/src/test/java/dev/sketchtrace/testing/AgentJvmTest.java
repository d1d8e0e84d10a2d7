package dev.sketchtrace.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentJvmTest {

  /** The child's entry point: echoes a system property, an env var and its arguments. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("prop=" + System.getProperty("echo.prop") + " env=" + System.getenv("ECHO_ENV")
          + " args=" + String.join(",", args));
      System.exit(3);
    }
  }

  @Test
  void runsAMainClassFromTheTestClassPathWithPropertiesEnvAndArgs() {
    try (RunningJvm jvm = AgentJvm.builder(Echo.class.getName())
        .withoutAgent()
        .systemProperty("echo.prop", "p1")
        .env("ECHO_ENV", "e1")
        .args("a", "b")
        .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).isEqualTo(3);
      assertThat(jvm.stdout()).contains("prop=p1 env=e1 args=a,b");
    }
  }

  @Test
  void commandAttachesTheAgentJarFirst() {
    Path fakeJar = Path.of("/tmp/some-agent.jar");
    assertThat(AgentJvm.builder("x.Main").agentJar(fakeJar).jvmArg("-Xmx64m").command())
        .containsSubsequence("-javaagent:/tmp/some-agent.jar", "-Xmx64m", "-cp")
        .endsWith("x.Main");
  }

  @Test
  void testJavaHomesStartWithThisJvmAndAddTemurin25WhenInstalled() {
    assertThat(AgentJvm.testJavaHomes().get(0).toString()).isEqualTo(System.getProperty("java.home"));
    assertThat(AgentJvm.testJavaHomes().contains(AgentJvm.TEMURIN_25))
        .isEqualTo(Files.isExecutable(AgentJvm.TEMURIN_25.resolve("bin/java")));
  }
}
