package dev.sketchtrace.smoke;

import static dev.sketchtrace.smoke.ShopTelemetryChecks.isDb;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy WAR deployed, unchanged, into a standalone Tomcat 9 (the distribution from Maven
 * Central, unpacked by the build) started with the agent through its own Bootstrap class, as
 * {@code catalina.sh} would with {@code CATALINA_OPTS=-javaagent:...}. Routes carry the context
 * path, JDBC is the servlet's child, and the exception is a 500 error span.
 */
class StandaloneTomcat9SmokeTest {

  @Test
  void theWarDeployedInTomcat9IsTraced(@TempDir Path base) throws IOException {
    Path home = Paths.get(System.getProperty("sketchtrace.smoke.tomcat9.home",
        AgentJvm.projectRoot().resolve("smoke-tests/tests/target/tomcat9/apache-tomcat-9.0.117").toString()));
    assertThat(home.resolve("bin/bootstrap.jar")).as("the unpacked Tomcat 9 distribution").exists();
    int port = prepareCatalinaBase(home, base);

    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
         RunningApp tomcat = new RunningApp(AgentJvm.builder("org.apache.catalina.startup.Bootstrap")
             .classpath(home.resolve("bin/bootstrap.jar") + File.pathSeparator + home.resolve("bin/tomcat-juli.jar"))
             .jvmArg("-Xmx256m")
             .systemProperty("catalina.home", home.toString())
             .systemProperty("catalina.base", base.toString())
             .systemProperty("java.io.tmpdir", base.resolve("temp").toString())
             .systemProperty("java.util.logging.manager", "org.apache.juli.ClassLoaderLogManager")
             .systemProperty("java.util.logging.config.file", base.resolve("conf/logging.properties").toString())
             .systemProperty("otel.service.name", "legacy-tomcat9")
             .systemProperty("otel.traces.sampler", "parentbased_always_on")
             .exportTo(receiver)
             .args("start")
             .start(), port)) {
      RunningApp.withLogsOnFailure(() -> {
        tomcat.jvm().awaitOutput("Server startup in", SampleApps.STARTUP_TIMEOUT);
        assertThat(Http.get(tomcat.url() + "/legacy/hello").statusCode()).isEqualTo(200);
        assertThat(Http.get(tomcat.url() + "/legacy/items/2").statusCode()).isEqualTo(200);
        assertThat(Http.get(tomcat.url() + "/legacy/broken").statusCode()).isEqualTo(500);

        List<ReceivedSpan> spans = receiver.awaitSpans(all -> server(all, "GET /legacy/items/*").size() == 1
            && server(all, "GET /legacy/broken").size() == 1 && server(all, "GET /legacy/hello").size() == 1,
            Duration.ofSeconds(60));
        ReceivedSpan items = server(spans, "GET /legacy/items/*").get(0);
        assertThat(items.attribute("http.route")).isEqualTo("/legacy/items/*");
        assertThat(spans).filteredOn(s -> isDb(s) && s.parentSpanId().equals(items.spanId())
                && "SELECT".equals(s.attribute("db.operation.name")))
            .singleElement().satisfies(db -> assertThat(db.attribute("db.query.text")).contains("FROM items"));
        ReceivedSpan broken = server(spans, "GET /legacy/broken").get(0);
        assertThat(broken.isError()).isTrue();
        assertThat(broken.attribute("http.response.status_code")).isEqualTo("500");
      }, tomcat);
    }
  }

  /** A CATALINA_BASE of our own: Tomcat's conf with the HTTP port changed, the shutdown port off, and the WAR. */
  private static int prepareCatalinaBase(Path home, Path base) throws IOException {
    for (String dir : List.of("conf", "webapps", "logs", "temp", "work")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path file : conf.filter(Files::isRegularFile).toList()) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
      }
    }
    int port = SampleApps.freePort();
    Path serverXml = base.resolve("conf/server.xml");
    String xml = Files.readString(serverXml)
        .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
        .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\"");
    assertThat(xml).contains("<Connector port=\"" + port + "\"");
    Files.writeString(serverXml, xml);
    Files.copy(SampleApps.legacyWar(), base.resolve("webapps/legacy.war"));
    return port;
  }

  private static List<ReceivedSpan> server(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER && name.equals(s.name())).toList();
  }
}
