package dev.sketchtrace.sample.inventory;

import java.util.Map;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The "inventory" sample service: one route, {@code GET /stock/{sku}}, backed by one table. The
 * shop calls it, so a shop request and the inventory request it causes form one distributed trace.
 * Embedded H2 by default; MariaDB with
 * {@code --spring.datasource.url=jdbc:mariadb://127.0.0.1:3306/test --spring.datasource.username=root}.
 */
@SpringBootApplication
@RestController
public class InventoryApplication implements InitializingBean {

  private final JdbcTemplate jdbc;

  public InventoryApplication(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public static void main(String[] args) {
    SpringApplication.run(InventoryApplication.class, args);
  }

  @GetMapping("/stock/{sku}")
  public Map<String, Object> stock(@PathVariable long sku) {
    return jdbc.query("SELECT sku, quantity FROM stock WHERE sku = ?",
            (rs, row) -> Map.<String, Object>of("sku", rs.getLong("sku"), "quantity", rs.getInt("quantity")), sku)
        .stream().findFirst()
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
  }

  /** Creates and seeds the table before the web server starts (portable across H2 and MariaDB). */
  @Override
  public void afterPropertiesSet() {
    jdbc.execute("CREATE TABLE IF NOT EXISTS stock (sku BIGINT PRIMARY KEY, quantity INT NOT NULL)");
    jdbc.update("DELETE FROM stock");
    for (long sku = 1; sku <= 8; sku++) {
      jdbc.update("INSERT INTO stock (sku, quantity) VALUES (?, ?)", sku, 10 * sku);
    }
  }
}
