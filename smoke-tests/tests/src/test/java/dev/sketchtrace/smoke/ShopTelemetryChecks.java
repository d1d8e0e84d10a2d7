package dev.sketchtrace.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What must arrive at an OTLP receiver after {@link ShopTraffic#drive}: one trace per order
 * spanning shop and inventory with the right parents, exact per-route counts, the failing route's
 * errors, and the slow query's span. Shared by the direct test and the test through the upstream
 * OpenTelemetry Collector, which must relay the same data.
 */
final class ShopTelemetryChecks {
  static final String SERVER_METRIC = "http.server.request.duration";
  static final String CLIENT_METRIC = "http.client.request.duration";
  static final String DB_METRIC = "db.client.operation.duration";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ShopTelemetryChecks() {}

  /**
   * An order's trace: shop SERVER → (JDBC lookup, JDK client CLIENT → inventory SERVER → JDBC,
   * JDBC insert). Every parent link is checked, not only the trace id.
   */
  static void orderTraceSpansBothServices(OtlpStubReceiver receiver) {
    List<ReceivedSpan> spans = receiver.awaitSpans(all -> completeOrderTrace(all).isPresent(), WAIT);
    String traceId = completeOrderTrace(spans).orElseThrow();
    List<ReceivedSpan> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();

    ReceivedSpan shopServer = only(trace, s -> service(s, "shop") && s.kind() == SpanKind.SPAN_KIND_SERVER);
    assertThat(shopServer.name()).isEqualTo("POST /orders/{productId}");
    assertThat(shopServer.attribute("http.route")).isEqualTo("/orders/{productId}");
    assertThat(shopServer.attribute("http.response.status_code")).isEqualTo("200");
    assertThat(shopServer.parentSpanId()).as("the shop's server span is the root").isEmpty();

    ReceivedSpan shopClient = only(trace, s -> service(s, "shop") && isHttpClient(s));
    assertThat(shopClient.parentSpanId()).isEqualTo(shopServer.spanId());
    assertThat(shopClient.attribute("url.full")).contains("/stock/");

    ReceivedSpan inventoryServer = only(trace, s -> service(s, "inventory") && s.kind() == SpanKind.SPAN_KIND_SERVER);
    assertThat(inventoryServer.parentSpanId()).as("inventory's server span continues the shop's client span")
        .isEqualTo(shopClient.spanId());
    assertThat(inventoryServer.name()).isEqualTo("GET /stock/{sku}");

    List<ReceivedSpan> inventoryDb = trace.stream().filter(s -> service(s, "inventory") && isDb(s)).toList();
    assertThat(inventoryDb).isNotEmpty().allSatisfy(db -> {
      assertThat(db.parentSpanId()).isEqualTo(inventoryServer.spanId());
      assertThat(db.attribute("db.system")).isEqualTo("h2");
    });

    List<ReceivedSpan> shopDb = trace.stream().filter(s -> service(s, "shop") && isDb(s)).toList();
    assertThat(shopDb).as("the product lookup and the order insert").hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(db -> assertThat(db.parentSpanId()).isEqualTo(shopServer.spanId()));
    assertThat(shopDb).anySatisfy(db -> assertThat(db.attribute("db.query.text")).containsIgnoringCase("INSERT INTO orders"));
  }

  /** Exact counts per route and service, waited for, then checked again one export later. */
  static void perRouteCountsAreExact(OtlpStubReceiver receiver) {
    Map<String, Long> expected = Map.of(
        "GET /products/{id}", (long) ShopTraffic.PRODUCT_LOOKUPS,
        "POST /orders/{productId}", (long) ShopTraffic.ORDERS,
        "GET /products/{id}/stock", (long) ShopTraffic.STOCK_CHECKS,
        "GET /reports/sales", (long) ShopTraffic.REPORTS,
        "GET /orders/{id}/invoice", (long) ShopTraffic.INVOICES);
    receiver.awaitMetrics(m -> expected.entrySet().stream()
        .allMatch(e -> serverCount(m, "shop", e.getKey()) >= e.getValue())
        && serverCount(m, "inventory", "GET /stock/{sku}") >= ShopTraffic.INVENTORY_CALLS, WAIT);
    pause(Duration.ofSeconds(2)); // a few more export intervals: nothing may be counted twice

    List<ReceivedMetric> metrics = receiver.metrics();
    expected.forEach((route, count) ->
        assertThat(serverCount(metrics, "shop", route)).as("shop %s", route).isEqualTo(count));
    assertThat(serverCount(metrics, "inventory", "GET /stock/{sku}")).isEqualTo(ShopTraffic.INVENTORY_CALLS);
    assertThat(ReceivedMetric.histogramCount(ofService(metrics, "shop"), CLIENT_METRIC, Map.of()))
        .as("the shop's outgoing calls (and none of the agent's own export requests)")
        .isEqualTo(ShopTraffic.INVENTORY_CALLS);
    assertThat(ReceivedMetric.histogramCount(ofService(metrics, "inventory"), CLIENT_METRIC, Map.of())).isZero();
    assertThat(ReceivedMetric.histogramCount(ofService(metrics, "inventory"), DB_METRIC,
        Map.of("db.system", "h2", "db.operation.name", "SELECT")))
        .as("one stock query per inventory request (the startup seeding is CREATE, DELETE and INSERT)").isEqualTo(ShopTraffic.INVENTORY_CALLS);
    assertThat(ReceivedMetric.histogramCount(
        ofService(metrics, "shop"), SERVER_METRIC, Map.of("http.route", "/orders/{id}/invoice", "http.response.status_code", "500")))
        .as("the failing route's 500s").isEqualTo(ShopTraffic.INVOICES);
  }

  /** The failing route: error server spans with status 500, each with a failed JDBC child. */
  static void failingRouteIsReportedAsErrors(OtlpStubReceiver receiver) {
    Predicate<ReceivedSpan> failing = s -> service(s, "shop") && s.kind() == SpanKind.SPAN_KIND_SERVER
        && "GET /orders/{id}/invoice".equals(s.name());
    List<ReceivedSpan> spans = receiver.awaitSpans(
        all -> all.stream().filter(failing).count() >= ShopTraffic.INVOICES, WAIT);
    List<ReceivedSpan> servers = spans.stream().filter(failing).toList();
    assertThat(servers).hasSize(ShopTraffic.INVOICES).allSatisfy(server -> {
      assertThat(server.isError()).isTrue();
      assertThat(server.attribute("http.response.status_code")).isEqualTo("500");
      assertThat(server.attribute("error.type")).isNotBlank();
      ReceivedSpan db = only(spans, s -> s.parentSpanId().equals(server.spanId()) && isDb(s));
      assertThat(db.isError()).as("the query failed in the database (division by zero)").isTrue();
      assertThat(db.attribute("db.query.text")).contains("average_line");
    });
  }

  /** The slow query: its JDBC span lasts at least the delay the database sleeps (a lower bound). */
  static void slowQueryIsMeasured(OtlpStubReceiver receiver) {
    Predicate<ReceivedSpan> report = s -> service(s, "shop") && isDb(s)
        && Objects.toString(s.attribute("db.query.text"), "").startsWith("SELECT SLEEP_MS");
    List<ReceivedSpan> spans = receiver.awaitSpans(
        all -> all.stream().filter(report).count() >= ShopTraffic.REPORTS, WAIT);
    assertThat(spans.stream().filter(report)).hasSize(ShopTraffic.REPORTS)
        .allSatisfy(s -> assertThat(s.durationNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(ShopTraffic.REPORT_DELAY_MS).toNanos()));
  }

  private static Optional<String> completeOrderTrace(List<ReceivedSpan> spans) {
    Map<String, List<ReceivedSpan>> byTrace = spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
    return byTrace.entrySet().stream().filter(e -> {
      List<ReceivedSpan> t = e.getValue();
      return t.stream().anyMatch(s -> service(s, "shop") && "POST /orders/{productId}".equals(s.name()))
          && t.stream().anyMatch(s -> service(s, "shop") && isHttpClient(s))
          && t.stream().anyMatch(s -> service(s, "inventory") && s.kind() == SpanKind.SPAN_KIND_SERVER)
          && t.stream().anyMatch(s -> service(s, "inventory") && isDb(s))
          && t.stream().filter(s -> service(s, "shop") && isDb(s)).count() >= 2;
    }).map(Map.Entry::getKey).findFirst();
  }

  static long serverCount(List<ReceivedMetric> metrics, String service, String methodAndRoute) {
    String[] parts = methodAndRoute.split(" ", 2);
    return ReceivedMetric.histogramCount(ofService(metrics, service), SERVER_METRIC,
        Map.of("http.request.method", parts[0], "http.route", parts[1]));
  }

  static List<ReceivedMetric> ofService(List<ReceivedMetric> metrics, String service) {
    return metrics.stream().filter(m -> service.equals(m.resource().get("service.name"))).toList();
  }

  static boolean service(ReceivedSpan span, String service) {
    return service.equals(span.resource().get("service.name"));
  }

  static boolean isDb(ReceivedSpan span) {
    return span.kind() == SpanKind.SPAN_KIND_CLIENT && span.attribute("db.system") != null;
  }

  static boolean isHttpClient(ReceivedSpan span) {
    return span.kind() == SpanKind.SPAN_KIND_CLIENT && span.attribute("url.full") != null;
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which) {
    List<ReceivedSpan> matching = spans.stream().filter(which).toList();
    assertThat(matching).as("exactly one matching span among %s", spans).hasSize(1);
    return matching.get(0);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
