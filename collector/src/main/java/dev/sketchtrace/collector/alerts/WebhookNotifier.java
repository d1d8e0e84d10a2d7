package dev.sketchtrace.collector.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs each notification as JSON to one URL, from its own daemon thread.
 *
 * <p>Thread-safety: {@link #send} may be called from any thread and never blocks: the event is
 * encoded and offered to a bounded queue; when the queue is full it is dropped and counted (a stuck
 * receiver must not hold up evaluation or grow memory). One worker thread delivers in order; a failed
 * delivery (connection error, 5xx, 429) is retried with exponential backoff up to {@code maxAttempts};
 * other 4xx answers are final (resending the same body cannot fix them).
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Logger LOG = System.getLogger("dev.sketchtrace.collector.alerts");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final BlockingQueue<byte[]> queue;
  private final HttpClient client;
  private final Thread worker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  public WebhookNotifier(URI url) {
    this(url, 1000, 6, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  public WebhookNotifier(URI url, int capacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.url = url;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.worker = new Thread(this::run, "sketchtrace-alert-webhook");
    worker.setDaemon(true);
    worker.start();
  }

  public URI url() {
    return url;
  }

  @Override
  public void send(AlertEvent e) {
    if (closed) return;
    byte[] body = encode(e);
    inFlight.incrementAndGet();
    if (!queue.offer(body)) {
      inFlight.decrementAndGet();
      if (dropped.getAndIncrement() == 0) {
        LOG.log(Level.WARNING, "alert webhook queue full; dropping notifications to {0}", url);
      }
    }
  }

  static byte[] encode(AlertEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("rule", e.rule());
    o.put("kind", e.kind());
    o.put("from", e.from().name());
    o.put("to", e.to().name());
    if (Double.isFinite(e.value())) o.put("value", e.value());
    else o.putNull("value");
    o.put("detail", e.detail());
    o.put("at", Instant.ofEpochMilli(e.atEpochMillis()).toString());
    ObjectNode labels = o.putObject("labels");
    e.labels().forEach(labels::put);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException ex) {
      throw new IllegalStateException(ex); // cannot happen for a tree of strings and numbers
    }
  }

  private void run() {
    while (!closed) {
      byte[] body;
      try {
        body = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (body == null) continue;
      try {
        deliver(body);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private void deliver(byte[] body) {
    long backoff = initialBackoff.toMillis();
    for (int attempt = 1; attempt <= maxAttempts && !closed; attempt++) {
      String problem;
      try {
        HttpRequest req =
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          delivered.incrementAndGet();
          return;
        }
        if (status / 100 == 4 && status != 429 && status != 408) {
          failed.incrementAndGet();
          LOG.log(Level.WARNING, "alert webhook {0} answered {1}; not retrying", url, status);
          return;
        }
        problem = "HTTP " + status;
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt == maxAttempts) break;
      LOG.log(Level.DEBUG, "alert webhook {0} attempt {1} failed ({2}); retrying in {3} ms", url, attempt, problem, backoff);
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
    }
    failed.incrementAndGet();
    LOG.log(Level.WARNING, "alert webhook {0}: gave up after {1} attempts", url, maxAttempts);
  }

  /** Waits until everything offered so far is delivered or given up; for shutdown and tests. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(10);
    }
    return true;
  }

  public long delivered() {
    return delivered.get();
  }

  public long failed() {
    return failed.get();
  }

  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
  }
}
