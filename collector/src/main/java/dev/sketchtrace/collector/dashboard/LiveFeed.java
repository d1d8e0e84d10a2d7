package dev.sketchtrace.collector.dashboard;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Server-sent events for the overview: every subscriber gets the current overview at once and then
 * every {@code periodMillis}. One snapshot is computed per tick for all subscribers, on this feed's
 * own thread (never on the event loop); a subscriber that went away is dropped on its next write.
 *
 * <p>Thread-safety: thread-safe; subscribers are added from event-loop threads, written from the
 * feed's thread.
 */
public final class LiveFeed implements AutoCloseable {
  private static final Logger LOG = System.getLogger("dev.sketchtrace.collector.dashboard");
  static final int MAX_SUBSCRIBERS = 64;

  private final Supplier<Object> snapshot;
  private final Set<HttpResponseWriter> subscribers = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sketchtrace-dashboard-live");
            t.setDaemon(true);
            return t;
          });

  public LiveFeed(Supplier<Object> snapshot, long periodMillis) {
    this.snapshot = snapshot;
    ticker.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  public HttpResponse subscribe(ServiceRequestContext ctx) {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "too many live subscribers\n");
    }
    ctx.clearRequestTimeout(); // a stream lives as long as the page is open
    HttpResponseWriter w = HttpResponse.streaming();
    w.write(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(MediaType.EVENT_STREAM)
        .add("cache-control", "no-cache")
        .build());
    subscribers.add(w);
    w.whenComplete().handle((ok, err) -> subscribers.remove(w));
    ticker.execute(() -> send(w, event()));
    return w;
  }

  private String event() {
    return "event: overview\ndata: " + new String(JsonAnswers.bytes(snapshot.get()), StandardCharsets.UTF_8) + "\n\n";
  }

  private void tick() {
    if (subscribers.isEmpty()) return;
    try {
      String e = event();
      for (HttpResponseWriter w : subscribers) send(w, e);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "live overview failed", ex);
    }
  }

  private void send(HttpResponseWriter w, String event) {
    if (!w.tryWrite(HttpData.ofUtf8(event))) subscribers.remove(w);
  }

  public int subscribers() {
    return subscribers.size();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(10, TimeUnit.SECONDS); // a tick in progress reads the store
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (HttpResponseWriter w : subscribers) w.close();
    subscribers.clear();
  }
}
