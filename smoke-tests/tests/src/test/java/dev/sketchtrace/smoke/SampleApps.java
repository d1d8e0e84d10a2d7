package dev.sketchtrace.smoke;

import dev.sketchtrace.testing.AgentJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Where the built sample apps are and how to launch them with the agent. Surefire passes the jar
 * paths as system properties; without them (an IDE run) they are looked up under the project root.
 */
final class SampleApps {
  /** Spring Boot's launchers: a repackaged jar or war is started through them, as `java -jar` does. */
  static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
  static final String WAR_LAUNCHER = "org.springframework.boot.loader.launch.WarLauncher";

  /** How long a Spring Boot app may take to start with the agent on a loaded 2-core machine. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

  private SampleApps() {}

  static Path shopJar() {
    return built("sketchtrace.smoke.shop.jar", "smoke-tests/apps/shop/target/shop.jar");
  }

  static Path inventoryJar() {
    return built("sketchtrace.smoke.inventory.jar", "smoke-tests/apps/inventory/target/inventory.jar");
  }

  static Path legacyWar() {
    return built("sketchtrace.smoke.legacy.war", "smoke-tests/apps/legacy-war/target/legacy-war.war");
  }

  /**
   * A Spring Boot fat jar (or the legacy war) with the agent attached, every trace kept
   * ({@code parentbased_always_on}) so tests can look at any request's spans.
   */
  static AgentJvm.Builder withAgent(Path javaHome, Path jar, String launcher, String serviceName) {
    return AgentJvm.builder(launcher)
        .javaHome(javaHome)
        .classpath(jar.toString())
        .jvmArg("-Xmx256m")
        .systemProperty("otel.service.name", serviceName)
        .systemProperty("otel.traces.sampler", "parentbased_always_on");
  }

  /** A port that was free a moment ago (the small race is acceptable for tests on loopback). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path built(String property, String underRoot) {
    String configured = System.getProperty(property);
    Path path = configured != null ? Paths.get(configured) : AgentJvm.projectRoot().resolve(underRoot);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " does not exist; build the sample apps with"
          + " 'mvn -pl smoke-tests/apps/shop,smoke-tests/apps/inventory,smoke-tests/apps/legacy-war -am install -DskipTests'");
    }
    return path;
  }
}
