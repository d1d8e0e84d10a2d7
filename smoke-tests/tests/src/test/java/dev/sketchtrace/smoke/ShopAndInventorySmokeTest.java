package dev.sketchtrace.smoke;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two Spring Boot services, each in its own JVM with the real agent jar, exporting straight to
 * a stub OTLP receiver; once per test JDK (17 and Temurin 25). One start of the pair serves all
 * four checks, so a JDK costs two app start-ups.
 */
class ShopAndInventorySmokeTest {

  static List<Path> javaHomes() {
    return AgentJvm.testJavaHomes();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("javaHomes")
  void tracesMetricsAndErrorsOfBothServicesArrive(Path javaHome) {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
         RunningApp inventory = startInventory(javaHome, receiver.endpoint());
         RunningApp shop = startShop(javaHome, receiver.endpoint(), inventory)) {
      RunningApp.withLogsOnFailure(() -> {
        ShopTraffic.drive(shop.url());
        ShopTelemetryChecks.orderTraceSpansBothServices(receiver);
        ShopTelemetryChecks.perRouteCountsAreExact(receiver);
        ShopTelemetryChecks.failingRouteIsReportedAsErrors(receiver);
        ShopTelemetryChecks.slowQueryIsMeasured(receiver);
      }, shop, inventory);
    }
  }

  static RunningApp startInventory(Path javaHome, String otlpEndpoint) {
    return RunningApp.start(
        SampleApps.withAgent(javaHome, SampleApps.inventoryJar(), SampleApps.JAR_LAUNCHER, "inventory")
            .systemProperty("otel.exporter.otlp.endpoint", otlpEndpoint)
            .systemProperty("sketchtrace.export.interval", "500ms"),
        "--server.port=%d", "Started InventoryApplication");
  }

  static RunningApp startShop(Path javaHome, String otlpEndpoint, RunningApp inventory) {
    return RunningApp.start(
        SampleApps.withAgent(javaHome, SampleApps.shopJar(), SampleApps.JAR_LAUNCHER, "shop")
            .systemProperty("otel.exporter.otlp.endpoint", otlpEndpoint)
            .systemProperty("sketchtrace.export.interval", "500ms")
            .args("--inventory.base-url=" + inventory.url()),
        "--server.port=%d", "Started ShopApplication");
  }
}
