package dev.sketchtrace.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product end to end: shop and inventory with the agent export to the bundled
 * collector (started from its jar by the test), and the collector's query API then shows exact
 * per-route counts, the failing route's errors, the slow query at the top of the SQL ranking, and
 * the order trace across both services with correct parents.
 */
class BundledCollectorSmokeTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void theCollectorAnswersWhatTheAgentsSent(@TempDir Path dataDir) {
    Path javaHome = Paths.get(System.getProperty("java.home"));
    try (BundledCollector collector = BundledCollector.start(dataDir);
         RunningApp inventory = ShopAndInventorySmokeTest.startInventory(javaHome, collector.otlpEndpoint());
         RunningApp shop = ShopAndInventorySmokeTest.startShop(javaHome, collector.otlpEndpoint(), inventory)) {
      RunningApp.withLogsOnFailure(() -> {
        ShopTraffic.drive(shop.url());
        routeCountsAndErrors(collector);
        slowQueryTopsTheSqlRanking(collector);
        orderTraceSpansBothServices(collector);
      }, shop, inventory);
    }
  }

  private static void routeCountsAndErrors(BundledCollector collector) {
    Map<String, Long> shopRoutes = Map.of(
        "GET /products/{id}", (long) ShopTraffic.PRODUCT_LOOKUPS,
        "POST /orders/{productId}", (long) ShopTraffic.ORDERS,
        "GET /products/{id}/stock", (long) ShopTraffic.STOCK_CHECKS,
        "GET /reports/sales", (long) ShopTraffic.REPORTS,
        "GET /orders/{id}/invoice", (long) ShopTraffic.INVOICES);
    String path = "/api/v1/services/shop/operations?from=now-1h&metric=" + BundledCollector.enc(ShopTelemetryChecks.SERVER_METRIC);
    collector.awaitJson(path, body -> shopRoutes.entrySet().stream()
        .allMatch(e -> operation(body, e.getKey()).path("count").asLong() >= e.getValue()), WAIT);
    pause(Duration.ofSeconds(2)); // a few more export intervals: nothing may be counted twice
    JsonNode shop = collector.getJson(path);
    shopRoutes.forEach((route, count) ->
        assertThat(operation(shop, route).path("count").asLong()).as("shop %s in %s", route, shop).isEqualTo(count));
    assertThat(operation(shop, "GET /orders/{id}/invoice").path("errors").asLong()).isEqualTo(ShopTraffic.INVOICES);
    assertThat(operation(shop, "GET /products/{id}").path("errors").asLong()).isZero();

    JsonNode inventory = collector.awaitJson("/api/v1/services/inventory/operations?from=now-1h&metric="
        + BundledCollector.enc(ShopTelemetryChecks.SERVER_METRIC),
        body -> operation(body, "GET /stock/{sku}").path("count").asLong() >= ShopTraffic.INVENTORY_CALLS, WAIT);
    assertThat(operation(inventory, "GET /stock/{sku}").path("count").asLong()).isEqualTo(ShopTraffic.INVENTORY_CALLS);
  }

  private static void slowQueryTopsTheSqlRanking(BundledCollector collector) {
    JsonNode top = collector.awaitJson("/api/v1/services/shop/top-sql?by=time&from=now-1h",
        body -> body.path("statements").size() > 0 && body.path("statements").get(0).path("key").asText().startsWith("SELECT SLEEP_MS"),
        WAIT);
    assertThat(top.path("statements").get(0).path("estimate").asLong())
        .as("the report query's total time: %d runs of at least %d ms", ShopTraffic.REPORTS, ShopTraffic.REPORT_DELAY_MS)
        .isGreaterThanOrEqualTo(ShopTraffic.REPORTS * Duration.ofMillis(ShopTraffic.REPORT_DELAY_MS).toNanos());
  }

  private static void orderTraceSpansBothServices(BundledCollector collector) {
    JsonNode traces = collector.awaitJson("/api/v1/traces?from=now-1h&service=shop&route="
        + BundledCollector.enc("/orders/{productId}"), body -> body.path("traces").size() >= ShopTraffic.ORDERS, WAIT);
    String traceId = traces.path("traces").get(0).path("traceId").asText();
    JsonNode trace = collector.awaitJson("/api/v1/traces/" + traceId, body -> {
      List<JsonNode> spans = list(body.path("spans"));
      return spans.stream().anyMatch(s -> "inventory".equals(s.path("service").asText()) && isDb(s));
    }, WAIT);
    List<JsonNode> spans = list(trace.path("spans"));

    JsonNode shopServer = only(spans, "shop", "SERVER", false);
    assertThat(shopServer.path("name").asText()).isEqualTo("POST /orders/{productId}");
    assertThat(shopServer.path("parentSpanId").asText()).isEmpty();
    JsonNode shopClient = spans.stream().filter(s -> "shop".equals(s.path("service").asText())
        && "CLIENT".equals(s.path("kind").asText()) && !isDb(s)).findFirst().orElseThrow();
    assertThat(shopClient.path("parentSpanId").asText()).isEqualTo(shopServer.path("spanId").asText());
    JsonNode inventoryServer = only(spans, "inventory", "SERVER", false);
    assertThat(inventoryServer.path("parentSpanId").asText()).isEqualTo(shopClient.path("spanId").asText());
    assertThat(spans).filteredOn(s -> "inventory".equals(s.path("service").asText()) && isDb(s))
        .isNotEmpty()
        .allSatisfy(db -> assertThat(db.path("parentSpanId").asText()).isEqualTo(inventoryServer.path("spanId").asText()));
    assertThat(spans).filteredOn(s -> "shop".equals(s.path("service").asText()) && isDb(s))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(db -> assertThat(db.path("parentSpanId").asText()).isEqualTo(shopServer.path("spanId").asText()));
  }

  /** The operation named {@code name} (e.g. "GET /products/{id}") in an operations answer, or a missing node. */
  private static JsonNode operation(JsonNode body, String name) {
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode op : body.path("operations")) {
      if (name.equals(op.path("operation").asText())) {
        matching.add(op);
      }
    }
    assertThat(matching).as("at most one operation %s in %s", name, body).hasSizeLessThanOrEqualTo(1);
    return matching.isEmpty() ? MissingNode.getInstance() : matching.get(0);
  }

  private static JsonNode only(List<JsonNode> spans, String service, String kind, boolean db) {
    List<JsonNode> matching = spans.stream().filter(s -> service.equals(s.path("service").asText())
        && kind.equals(s.path("kind").asText()) && isDb(s) == db).toList();
    assertThat(matching).as("one %s %s span in %s", service, kind, spans).hasSize(1);
    return matching.get(0);
  }

  private static boolean isDb(JsonNode span) {
    return "CLIENT".equals(span.path("kind").asText()) && span.path("attributes").has("db.system");
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
