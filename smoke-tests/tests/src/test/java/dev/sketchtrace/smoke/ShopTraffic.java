package dev.sketchtrace.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/**
 * A fixed mix of requests to the shop, and how many of each it sends, so telemetry can be checked
 * for exact counts. Every response's status is checked on the way, so a broken app fails here and
 * not later as a puzzling count.
 */
final class ShopTraffic {
  static final int PRODUCT_LOOKUPS = 6;   // GET /products/{id}           server → JDBC
  static final int ORDERS = 3;            // POST /orders/{productId}     server → JDBC, JDK client → inventory, JDBC
  static final int STOCK_CHECKS = 2;      // GET /products/{id}/stock     server → JDBC, Apache client → inventory
  static final int REPORTS = 2;           // GET /reports/sales           server → the slow query
  static final int INVOICES = 3;          // GET /orders/{id}/invoice     always 500
  /**
   * How long each report query waits in the database during the test: the app's 40 ms base plus
   * a slowdown set through {@code POST /admin/slowdown}, so the slow query stands out far above
   * the cold-start cost of the first queries of a freshly started JVM.
   */
  static final int REPORT_DELAY_MS = 40 + 200;
  /** Inventory requests the shop makes: one per order and per stock check. */
  static final int INVENTORY_CALLS = ORDERS + STOCK_CHECKS;

  private ShopTraffic() {}

  static void drive(String shop) {
    expect(Http.post(shop + "/admin/slowdown?extraMillis=" + (REPORT_DELAY_MS - 40)), 200);
    for (int i = 0; i < PRODUCT_LOOKUPS; i++) {
      expect(Http.get(shop + "/products/" + (1 + i % 8)), 200);
    }
    for (int i = 0; i < ORDERS; i++) {
      expect(Http.post(shop + "/orders/" + (2 + i) + "?quantity=1"), 200);
    }
    for (int i = 0; i < STOCK_CHECKS; i++) {
      expect(Http.get(shop + "/products/" + (5 + i) + "/stock"), 200);
    }
    for (int i = 0; i < REPORTS; i++) {
      expect(Http.get(shop + "/reports/sales"), 200);
    }
    for (int i = 0; i < INVOICES; i++) {
      expect(Http.get(shop + "/orders/" + (1 + i) + "/invoice"), 500);
    }
  }

  private static void expect(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("%s answered %s", response.uri(), response.body()).isEqualTo(status);
  }
}
