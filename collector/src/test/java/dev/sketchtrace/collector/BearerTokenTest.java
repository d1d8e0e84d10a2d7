package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token guards every endpoint but /healthz; binding beyond loopback demands one. */
class BearerTokenTest {
  @TempDir Path dir;

  @Test
  void tokenIsRequiredEverywhereButHealthz() throws Exception {
    try (InProcessCollector c = new InProcessCollector(CollectorConfig.builder().dataDir(dir).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).token("s3cret"))) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(status(http, c.api() + "/healthz", null)).isEqualTo(200);
      assertThat(status(http, c.api() + "/api/v1/services", null)).isEqualTo(401);
      assertThat(status(http, c.api() + "/metrics", "wrong")).isEqualTo(401);
      assertThat(status(http, c.api() + "/api/v1/services", "s3cret")).isEqualTo(200);
      assertThat(c.post("/v1/metrics", "application/x-protobuf", new byte[0]).statusCode()).isEqualTo(401);
      assertThat(c.post("/v1/metrics", "application/x-protobuf", new byte[0], "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    }
  }

  private static int status(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void nonLoopbackBindNeedsAToken() {
    assertThatThrownBy(() -> CollectorConfig.parse(new String[] {"--bind", "0.0.0.0"}, Map.of()))
        .hasMessageContaining("--token");
    assertThat(CollectorConfig.parse(new String[] {"--bind", "0.0.0.0"}, Map.of("SKETCHTRACE_COLLECTOR_TOKEN", "t")).token).isEqualTo("t");
    assertThatThrownBy(() -> CollectorConfig.parse(new String[] {"--http-port", "x"}, Map.of())).hasMessageContaining("--http-port");
    assertThatThrownBy(() -> CollectorConfig.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("--nope");
    CollectorConfig env = CollectorConfig.parse(new String[0], Map.of("SKETCHTRACE_COLLECTOR_HTTP_PORT", "5050"));
    assertThat(env.httpPort).isEqualTo(5050);
    assertThat(CollectorConfig.parse(new String[] {"--http-port", "6060"}, Map.of("SKETCHTRACE_COLLECTOR_HTTP_PORT", "5050")).httpPort).isEqualTo(6060);
  }
}
