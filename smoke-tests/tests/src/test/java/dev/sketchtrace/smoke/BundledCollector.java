package dev.sketchtrace.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.RunningJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The bundled collector, started from its built jar in its own JVM on free ports with a fresh data
 * directory, and a small client of its query API ({@code /api/v1/...}, see collector/README.md).
 */
final class BundledCollector implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunningJvm jvm;
  private final int otlpHttpPort;
  private final int apiPort;

  private BundledCollector(RunningJvm jvm, int otlpHttpPort, int apiPort) {
    this.jvm = jvm;
    this.otlpHttpPort = otlpHttpPort;
    this.apiPort = apiPort;
  }

  static Path jar() {
    String configured = System.getProperty("sketchtrace.smoke.collector.jar");
    Path jar = configured != null ? Paths.get(configured)
        : AgentJvm.projectRoot().resolve("collector/target/sketchtrace-collector.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist; build it with 'mvn -pl collector -am package -DskipTests'");
    }
    return jar;
  }

  static BundledCollector start(Path dataDir) {
    int otlp = SampleApps.freePort();
    int grpc = SampleApps.freePort();
    int api = SampleApps.freePort();
    RunningJvm jvm = AgentJvm.builder("dev.sketchtrace.collector.Main").withoutAgent()
        .classpath(jar().toString()).jvmArg("-Xmx512m")
        .args("--data-dir", dataDir.toString(), "--otlp-http-port", Integer.toString(otlp),
            "--otlp-grpc-port", Integer.toString(grpc), "--http-port", Integer.toString(api))
        .start();
    BundledCollector collector = new BundledCollector(jvm, otlp, api);
    try {
      collector.awaitJson("/healthz", body -> true, Duration.ofSeconds(60));
    } catch (RuntimeException | Error e) {
      jvm.close();
      throw e;
    }
    return collector;
  }

  /** The base URL agents export to. */
  String otlpEndpoint() {
    return "http://127.0.0.1:" + otlpHttpPort;
  }

  String api() {
    return "http://127.0.0.1:" + apiPort;
  }

  RunningJvm jvm() {
    return jvm;
  }

  /** GETs {@code path} (under the API port) until the JSON answer satisfies {@code until}. */
  JsonNode awaitJson(String path, Predicate<JsonNode> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "(no answer)";
    while (true) {
      try {
        HttpResponse<String> response = Http.get(api() + path);
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200) {
          JsonNode body = path.equals("/healthz") ? JSON.nullNode() : JSON.readTree(response.body());
          if (until.test(body)) {
            return body;
          }
        }
      } catch (UncheckedIOException | IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("GET " + path + " did not give the expected answer within " + timeout
            + "; last answer: " + last + jvm.describe());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  JsonNode getJson(String path) {
    return awaitJson(path, body -> true, Duration.ofSeconds(10));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    jvm.close();
  }
}
