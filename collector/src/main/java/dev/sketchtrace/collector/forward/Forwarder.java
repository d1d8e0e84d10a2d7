package dev.sketchtrace.collector.forward;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe: sends what was stored on to an upstream OTLP/HTTP endpoint (protobuf), so this
 * collector can sit in front of an existing OpenTelemetry pipeline. Forwarding is best-effort and
 * never slows ingest: at most {@link #MAX_IN_FLIGHT} requests are outstanding; past that, or when
 * the upstream fails, the request is dropped and counted.
 */
public final class Forwarder {
  static final int MAX_IN_FLIGHT = 32;

  private final WebClient client; // null when disabled
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private Forwarder(WebClient client) {
    this.client = client;
  }

  public static Forwarder to(String baseUrl) {
    return new Forwarder(baseUrl == null ? null : WebClient.of(baseUrl));
  }

  public boolean enabled() {
    return client != null;
  }

  /** Forwards an OTLP protobuf body to {@code path} ({@code /v1/traces}, ...). */
  public void forward(String path, byte[] protobuf) {
    if (client == null) return;
    if (!inFlight.tryAcquire()) {
      dropped.incrementAndGet();
      return;
    }
    HttpRequest req = HttpRequest.of(
        RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.parse("application/x-protobuf")).build(),
        com.linecorp.armeria.common.HttpData.wrap(protobuf));
    client.execute(req).aggregate().whenComplete((res, err) -> {
      inFlight.release();
      if (err == null && res.status().isSuccess()) sent.incrementAndGet();
      else dropped.incrementAndGet();
    });
  }

  public long sent() { return sent.get(); }
  public long dropped() { return dropped.get(); }
}
