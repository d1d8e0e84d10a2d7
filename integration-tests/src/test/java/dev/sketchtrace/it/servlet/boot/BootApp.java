package dev.sketchtrace.it.servlet.boot;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A Spring Boot 3 app on its embedded Tomcat: Spring MVC routes with path variables, an exception,
 * {@code sendError(503)}, and a {@link DeferredResult} completed on another thread. Prints {@code
 * READY port=N}.
 */
@SpringBootApplication
@RestController
public class BootApp implements ApplicationListener<WebServerInitializedEvent> {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(BootApp.class);
    app.setDefaultProperties(
        java.util.Map.of("server.port", "0", "spring.main.banner-mode", "off"));
    app.run(args);
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    System.out.println("READY port=" + event.getWebServer().getPort());
  }

  @GetMapping("/owners/{ownerId}")
  public String owner(@PathVariable("ownerId") String ownerId) {
    return "owner " + ownerId;
  }

  @GetMapping("/boom")
  public String boom() {
    throw new IllegalStateException("boom");
  }

  @GetMapping("/unavailable")
  public void unavailable(HttpServletResponse response) throws IOException {
    response.sendError(503);
  }

  @GetMapping("/deferred/{id}")
  public DeferredResult<String> deferred(@PathVariable("id") String id) {
    DeferredResult<String> result = new DeferredResult<>();
    CompletableFuture.runAsync(
        () -> result.setResult("deferred " + id),
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    return result;
  }
}
