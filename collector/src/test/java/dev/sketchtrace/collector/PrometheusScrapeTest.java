package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (the Debian package's {@code /usr/bin/prometheus}) scrapes the
 * collector's {@code /metrics} on loopback and its query API returns our RED series. Skipped, with
 * the reason, when the binary is absent (CI installs it).
 */
class PrometheusScrapeTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  @TempDir Path dir;

  @Test
  void prometheusScrapesRedSeries() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "skipped: /usr/bin/prometheus is not installed (apt-get install -y prometheus)");
    try (InProcessCollector c = new InProcessCollector(dir.resolve("data"))) {
      long now = System.currentTimeMillis() * 1_000_000L;
      assertThat(c.post("/v1/metrics", "application/x-protobuf",
          OtlpRequests.metrics("scraped-svc", OtlpRequests.point(now, "/checkout", 25)).toByteArray()).statusCode()).isEqualTo(200);
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: sketchtrace\n"
          + "    static_configs:\n      - targets: ['127.0.0.1:" + c.collector.httpPort() + "']\n");
      Process prom = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String query = URLEncoder.encode("sketchtrace_operation_duration_seconds_count{service=\"scraped-svc\"}", StandardCharsets.UTF_8);
        String body = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
          try {
            body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + query)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"operation\":\"/checkout\"")) break;
          } catch (java.io.IOException notUpYet) {
            // Prometheus is still starting
          }
          Thread.sleep(500);
        }
        assertThat(body).as("Prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")))
            .contains("\"operation\":\"/checkout\"").contains("\"100\"]");
      } finally {
        prom.destroy();
        prom.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }
}
