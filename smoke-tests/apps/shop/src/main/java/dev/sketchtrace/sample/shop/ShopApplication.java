package dev.sketchtrace.sample.shop;

import java.net.http.HttpClient;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The "shop" sample service: an ordinary Spring Boot app with JDBC and two outgoing HTTP clients.
 * It knows nothing of the agent; the smoke tests, the demo and the overhead benchmark attach the
 * agent from the command line.
 */
@SpringBootApplication
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  /** Used by {@code POST /orders/{productId}} (JDK client, HTTP/1.1 so no h2c upgrade dance). */
  @Bean
  HttpClient jdkHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** Used by {@code GET /products/{id}/stock}. */
  @Bean(destroyMethod = "close")
  CloseableHttpClient apacheHttpClient(@Value("${inventory.timeout-ms:30000}") long timeoutMillis) {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(2))
                .setSocketTimeout(Timeout.ofMilliseconds(timeoutMillis))
                .build())
            .setMaxConnTotal(64)
            .setMaxConnPerRoute(64)
            .build())
        .build();
  }
}
