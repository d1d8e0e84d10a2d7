package dev.sketchtrace.smoke;

import dev.sketchtrace.testing.OtlpStubReceiver;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same services and checks as {@link ShopAndInventorySmokeTest}, but the agents export to the
 * upstream OpenTelemetry Collector (its official image, OTLP/HTTP receiver), which relays
 * everything to the stub receiver on the host: proof that what the agent sends is plain OTLP that
 * a stock collector accepts and passes on intact. Skipped where Docker is not available (the
 * direct test is the proof there).
 */
@Testcontainers(disabledWithoutDocker = true)
class UpstreamOtelCollectorSmokeTest {
  static final DockerImageName IMAGE = DockerImageName.parse("otel/opentelemetry-collector:0.115.1");

  @Test
  void theUpstreamCollectorRelaysWhatTheAgentSends() {
    Path javaHome = Paths.get(System.getProperty("java.home"));
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      org.testcontainers.Testcontainers.exposeHostPorts(receiver.port());
      try (GenericContainer<?> collector = new GenericContainer<>(IMAGE)
          .withCopyToContainer(Transferable.of(config(receiver.port())), "/etc/otelcol/config.yaml")
          .withExposedPorts(4318)
          .waitingFor(Wait.forListeningPort())) {
        collector.start();
        String endpoint = "http://" + collector.getHost() + ":" + collector.getMappedPort(4318);
        try (RunningApp inventory = ShopAndInventorySmokeTest.startInventory(javaHome, endpoint);
             RunningApp shop = ShopAndInventorySmokeTest.startShop(javaHome, endpoint, inventory)) {
          RunningApp.withLogsOnFailure(() -> {
            ShopTraffic.drive(shop.url());
            ShopTelemetryChecks.orderTraceSpansBothServices(receiver);
            ShopTelemetryChecks.perRouteCountsAreExact(receiver);
            ShopTelemetryChecks.failingRouteIsReportedAsErrors(receiver);
            ShopTelemetryChecks.slowQueryIsMeasured(receiver);
          }, shop, inventory);
        }
      }
    }
  }

  private static String config(int receiverPort) {
    return """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 0.0.0.0:4318
        processors:
          batch:
            timeout: 200ms
        exporters:
          otlphttp:
            endpoint: http://host.testcontainers.internal:%d
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlphttp]
            metrics:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlphttp]
        """.formatted(receiverPort);
  }
}
