package dev.sketchtrace.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches a child JVM running a main class with {@code -javaagent:telemetry-agent.jar}, the way a
 * user attaches the agent, so tests exercise the real jar: its class loading, its shading, its
 * premain.
 */
public final class AgentJvm {
  /** The second JDK every agent test also runs on, when the machine has it. */
  static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

  private AgentJvm() {}

  /**
   * The built agent jar: system property {@code sketchtrace.agent.jar}, else {@code
   * agent/target/telemetry-agent.jar} under the project root.
   */
  public static Path agentJar() {
    String configured = System.getProperty("sketchtrace.agent.jar");
    Path jar = configured != null
        ? Paths.get(configured)
        : projectRoot().resolve("agent/target/telemetry-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the agent jar " + jar + " does not exist; build it with"
          + " 'mvn -pl agent -am package -DskipTests' (or run the tests through 'mvn install')");
    }
    return jar;
  }

  /** The reactor root: the nearest directory upwards holding both pom.xml and agent/. */
  public static Path projectRoot() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("agent"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("not inside the Sketchtrace project: "
        + Paths.get("").toAbsolutePath());
  }

  /**
   * The JDKs agent tests run on: {@code -Dsketchtrace.test.jdks=/a,/b} when given, else this JVM's
   * plus Temurin 25 when installed.
   */
  public static List<Path> testJavaHomes() {
    String configured = System.getProperty("sketchtrace.test.jdks");
    List<Path> homes = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(Paths::get).forEach(homes::add);
      return homes;
    }
    homes.add(Paths.get(System.getProperty("java.home")));
    if (Files.isExecutable(TEMURIN_25.resolve("bin/java"))
        && !TEMURIN_25.equals(homes.get(0).toAbsolutePath())) {
      homes.add(TEMURIN_25);
    }
    return homes;
  }

  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** Describes one child JVM; {@link #start()} launches it. */
  public static final class Builder {
    private final String mainClass;
    private Path javaHome = Paths.get(System.getProperty("java.home"));
    private String classpath = System.getProperty("java.class.path");
    private Path agentJar;
    private boolean withAgent = true;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /** The class path, with the platform separator; defaults to this test JVM's. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    public Builder withoutAgent() {
      this.withAgent = false;
      return this;
    }

    public Builder agentJar(Path agentJar) {
      this.agentJar = agentJar;
      return this;
    }

    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    public Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder args(String... values) {
      args.addAll(Arrays.asList(values));
      return this;
    }

    /** Exports to {@code receiver} every 500 ms, so tests see data quickly. */
    public Builder exportTo(OtlpStubReceiver receiver) {
      systemProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
      systemProperty("sketchtrace.export.interval", "500ms");
      return this;
    }

    /** The full command line, for logs and for tests of the launcher itself. */
    public List<String> command() {
      List<String> command = new ArrayList<>();
      command.add(javaHome.resolve("bin").resolve("java").toString());
      if (withAgent) {
        command.add("-javaagent:" + (agentJar != null ? agentJar : AgentJvm.agentJar()));
      }
      command.addAll(jvmArgs);
      systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add("-cp");
      command.add(classpath);
      command.add(mainClass);
      command.addAll(args);
      return command;
    }

    public RunningJvm start() {
      ProcessBuilder builder = new ProcessBuilder(command());
      builder.environment().putAll(env);
      builder.directory(new File(System.getProperty("java.io.tmpdir")));
      try {
        return new RunningJvm(builder.start(), String.join(" ", builder.command()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + builder.command(), e);
      }
    }
  }
}
