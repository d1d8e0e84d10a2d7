package dev.sketchtrace.sample.shop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Calls the inventory service's {@code GET /stock/{sku}} with either of two HTTP clients, so that
 * both client instrumentations are exercised by one app. Thread-safe (both clients are).
 */
@Component
public class InventoryClient {

  /** The inventory service answered with something other than 200. */
  public static final class InventoryUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InventoryUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient jdk;
  private final CloseableHttpClient apache;

  public InventoryClient(@Value("${inventory.base-url:http://127.0.0.1:8081}") String baseUrl,
      @Value("${inventory.timeout-ms:30000}") long timeoutMillis, HttpClient jdk, CloseableHttpClient apache) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = Duration.ofMillis(timeoutMillis);
    this.jdk = jdk;
    this.apache = apache;
  }

  /** The stock JSON of one product, over the JDK {@link HttpClient}. */
  public String stockViaJdkClient(long sku) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/stock/" + sku))
        .timeout(timeout).GET().build();
    try {
      HttpResponse<String> response = jdk.send(request, HttpResponse.BodyHandlers.ofString());
      return checked(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new InventoryUnavailable("inventory call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InventoryUnavailable("interrupted", e);
    }
  }

  /** The stock JSON of one product, over Apache HttpClient 5. */
  public String stockViaApacheClient(long sku) {
    try {
      return apache.execute(new HttpGet(baseUrl + "/stock/" + sku),
          response -> checked(response.getCode(), EntityUtils.toString(response.getEntity())));
    } catch (IOException e) {
      throw new InventoryUnavailable("inventory call failed: " + e, e);
    }
  }

  private static String checked(int status, String body) {
    if (status != 200) {
      throw new InventoryUnavailable("inventory answered " + status, null);
    }
    return body;
  }
}
