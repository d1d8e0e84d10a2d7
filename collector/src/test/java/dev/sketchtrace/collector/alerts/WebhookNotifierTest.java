package dev.sketchtrace.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  /** The receiver answers 503 to this many requests before accepting. */
  final AtomicInteger failFirst = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  volatile boolean hold;
  HttpServer server;

  URI start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      requests.incrementAndGet();
      byte[] body = ex.getRequestBody().readAllBytes();
      try {
        if (hold) release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int status = failFirst.getAndDecrement() > 0 ? 503 : 200;
      if (status == 200) accepted.add(new ObjectMapper().readTree(body));
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) server.stop(0);
  }

  @Test
  void eachTransitionReachesTheReceiverExactlyOnceDespiteRetries() throws Exception {
    URI url = start();
    failFirst.set(2); // the first delivery needs two retries
    MutableClock clock = new MutableClock(Instant.parse("2026-11-20T12:00:00Z"));
    double[] value = {0.1};
    try (WebhookNotifier hook = new WebhookNotifier(url, 100, 5, Duration.ofMillis(5), Duration.ofMillis(50))) {
      AlertEngine engine = new AlertEngine(clock, (s, svc, r, f, t) -> OptionalDouble.of(value[0]), hook, null);
      engine.setRules(AlertRuleParser.parse(AlertEngineTest.P99_RULE));
      double[] series = {0.1, 1.5, 1.5, 1.5, 1.5, 0.1, 1.5, 0.1, 0.1, 0.1, 0.1};
      for (double v : series) {
        value[0] = v;
        clock.advance(Duration.ofSeconds(30));
        engine.evaluate();
      }
      assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(accepted).hasSize(2);
      assertThat(accepted.get(0).get("to").asText()).isEqualTo("CRITICAL");
      assertThat(accepted.get(0).get("from").asText()).isEqualTo("OK");
      assertThat(accepted.get(0).get("labels").get("service").asText()).isEqualTo("shop");
      assertThat(accepted.get(0).get("value").asDouble()).isEqualTo(1.5);
      assertThat(accepted.get(1).get("to").asText()).isEqualTo("OK");
      assertThat(requests.get()).isEqualTo(4);
      assertThat(hook.delivered()).isEqualTo(2);
      assertThat(hook.failed()).isZero();
    }
  }

  @Test
  void givesUpAfterMaxAttemptsAndDoesNotRetryAClientError() throws Exception {
    URI url = start();
    failFirst.set(100);
    try (WebhookNotifier hook = new WebhookNotifier(url, 100, 3, Duration.ofMillis(1), Duration.ofMillis(5))) {
      hook.send(event());
      assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(requests.get()).isEqualTo(3);
      assertThat(hook.failed()).isEqualTo(1);
    }
    try (WebhookNotifier hook =
        new WebhookNotifier(URI.create(url.toString().replace("/hook", "/missing")), 100, 3, Duration.ofMillis(1), Duration.ofMillis(5))) {
      hook.send(event());
      assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(hook.failed()).isEqualTo(1); // 404 answered once, not retried
    }
  }

  @Test
  void aStuckReceiverNeverBlocksTheSenderAndTheQueueIsBounded() throws Exception {
    URI url = start();
    hold = true;
    try (WebhookNotifier hook = new WebhookNotifier(url, 2, 1, Duration.ofMillis(1), Duration.ofMillis(1))) {
      for (int i = 0; i < 50; i++) hook.send(event()); // returns although nothing can be delivered
      // one is in the worker's hands, two are queued, the rest dropped
      assertThat(hook.dropped()).isBetween(47L, 48L);
      release.countDown();
      assertThat(hook.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(hook.delivered() + hook.dropped()).isEqualTo(50);
    }
  }

  static AlertEvent event() {
    return new AlertEvent("r", AlertEvent.TRANSITION, AlertState.OK, AlertState.CRITICAL, 2.0, "d", 0L, false,
        java.util.Map.of("service", "s"));
  }
}
