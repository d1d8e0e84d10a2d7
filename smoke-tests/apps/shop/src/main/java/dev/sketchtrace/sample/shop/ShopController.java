package dev.sketchtrace.sample.shop;

import dev.sketchtrace.sample.shop.ShopRepository.Product;
import dev.sketchtrace.sample.shop.ShopRepository.SalesReport;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The shop's routes. Each one exists to produce a distinct, recognisable telemetry shape:
 * <ul>
 *   <li>{@code GET /products}, {@code GET /products/{id}}: server span → one JDBC span;</li>
 *   <li>{@code GET /products/{id}/stock}: server → Apache HttpClient 5 → inventory server → JDBC;</li>
 *   <li>{@code POST /orders/{productId}}: server → JDBC (lookup) → JDK HttpClient → inventory
 *       server → JDBC, then → JDBC (insert): one trace across both services;</li>
 *   <li>{@code GET /reports/sales}: the slow query (the database sleeps; see {@link SlowdownSwitch});</li>
 *   <li>{@code GET /orders/{id}/invoice}: always 500 (its query divides by zero);</li>
 *   <li>{@code /admin/slowdown}: read, set or clear the report query's extra delay.</li>
 * </ul>
 */
@RestController
public class ShopController {

  private final ShopRepository repository;
  private final InventoryClient inventory;
  private final SlowdownSwitch slowdown;

  public ShopController(ShopRepository repository, InventoryClient inventory, SlowdownSwitch slowdown) {
    this.repository = repository;
    this.inventory = inventory;
    this.slowdown = slowdown;
  }

  @GetMapping("/products")
  public List<Product> products() {
    return repository.products();
  }

  @GetMapping("/products/{id}")
  public Product product(@PathVariable long id) {
    return repository.product(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
  }

  @GetMapping(path = "/products/{id}/stock", produces = MediaType.APPLICATION_JSON_VALUE)
  public String stock(@PathVariable long id) {
    return inventory.stockViaApacheClient(product(id).id());
  }

  @PostMapping("/orders/{productId}")
  public Map<String, Object> order(@PathVariable long productId,
      @RequestParam(defaultValue = "1") int quantity) {
    Product product = product(productId);
    String stock = inventory.stockViaJdkClient(product.id());
    long orderId = repository.placeOrder(product.id(), quantity);
    return Map.of("orderId", orderId, "product", product.name(), "quantity", quantity, "stock", stock);
  }

  @GetMapping("/reports/sales")
  public SalesReport salesReport() {
    return repository.salesReport(slowdown.reportDelayMillis());
  }

  @GetMapping("/orders/{id}/invoice")
  public Map<String, Long> invoice(@PathVariable long id) {
    return Map.of("averageLine", repository.averageInvoiceLine(id));
  }

  @GetMapping("/admin/slowdown")
  public Map<String, Integer> slowdown() {
    return Map.of("extraMillis", slowdown.extraMillis(), "reportDelayMillis", slowdown.reportDelayMillis());
  }

  @PostMapping("/admin/slowdown")
  public Map<String, Integer> setSlowdown(@RequestParam(defaultValue = "200") int extraMillis) {
    slowdown.setExtraMillis(extraMillis);
    return slowdown();
  }

  @DeleteMapping("/admin/slowdown")
  public Map<String, Integer> clearSlowdown() {
    slowdown.setExtraMillis(0);
    return slowdown();
  }
}
