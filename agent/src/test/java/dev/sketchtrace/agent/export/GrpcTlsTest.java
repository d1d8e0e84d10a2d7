package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.agent.export.grpc.GrpcCallResult;
import dev.sketchtrace.agent.export.grpc.GrpcStatus;
import dev.sketchtrace.agent.export.grpc.GrpcUnaryClient;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https endpoint: TLS with ALPN h2 and host verification against a grpc-java server whose
 * self-signed certificate (made by the JDK's keytool, SAN ip:127.0.0.1) the client trusts; a client
 * that does not trust it gets a retryable UNAVAILABLE, never a call in the clear.
 */
class GrpcTlsTest {
  @Test
  void exportsOverTlsWithAlpnH2(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(
        Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", keys.getCertificate("server"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);

    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.withTls(kmf)) {
      String endpoint = "https://127.0.0.1:" + server.port();
      OtlpEndpoints endpoints = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, endpoint, null, null, null);
      GrpcOtlpSender sender = new GrpcOtlpSender(new ExportSettings(endpoints, Map.of(), "none",
          Duration.ofSeconds(10), true, true, false, 6, 3, Duration.ofMillis(10)),
          context.getSocketFactory());
      try {
        assertThat(sender.sendMetrics(List.of(Telemetry.counter("tls.metric", 5))).kind)
            .isEqualTo(SendResult.Kind.SENT);
        assertThat(sender.sendSpans(Telemetry.spans(1, "secure")).kind)
            .isEqualTo(SendResult.Kind.SENT);
      } finally {
        sender.close();
      }
      assertThat(server.metrics.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0)
          .getName()).isEqualTo("tls.metric");
      assertThat(server.traces).hasSize(1);
      assertThat(server.connections.get()).isEqualTo(1);

      // The JDK's default trust store does not know the self-signed certificate.
      try (GrpcUnaryClient untrusting = new GrpcUnaryClient(URI.create(endpoint), Map.of(), false,
          Duration.ofSeconds(10), "test", null)) {
        GrpcCallResult result = untrusting.call(GrpcOtlpSender.METRICS_PATH, new byte[0]);
        assertThat(result.code()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(result.message()).contains("SSL");
      }
      assertThat(server.metrics).hasSize(1);
    }
  }
}
