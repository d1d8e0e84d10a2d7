package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentLog;
import dev.sketchtrace.agent.fold.AgentCounters;
import dev.sketchtrace.bootstrap.CallDepth;
import io.opentelemetry.sdk.resources.Resource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The export thread: sends each window's {@link ExportBatch} over OTLP — http/protobuf with the
 * OpenTelemetry SDK's exporters (JDK HTTP sender, {@link HttpOtlpSender}) or grpc with the agent's
 * own client ({@link GrpcOtlpSender}) — and the {@link SketchesPoster}.
 *
 * <p>The folder {@link #offer}s batches into a bounded deque; when it is full the oldest batch is
 * dropped and counted, so a dead backend costs at most {@code maxPendingBatches} windows of memory.
 * A failed batch is retried with exponential backoff (at least the delay a gRPC server asked for)
 * up to {@code maxAttempts} times, then dropped and counted; parts already delivered (metrics,
 * spans, sketches) are not sent twice. A part the backend refused for good (a non-retryable gRPC
 * status such as INVALID_ARGUMENT) is counted as a failure and not sent again.
 *
 * <p>The thread marks itself (and the sender's threads) as inside an HTTP client call, so the
 * agent's own HTTP-client instrumentation never records the agent's exports.
 *
 * <p>Thread-safe: {@code offer} from the folder thread, everything else on the export thread;
 * {@link #flush} from the shutdown hook.
 */
public final class ExportLoop implements Runnable {
  /** Keeps the relocated SDK's java.util.logging output off the application's console. */
  private static final Logger SDK_LOGGER = Logger.getLogger("dev.sketchtrace.shaded.opentelemetry");

  private final ExportSettings settings;
  private final Resource resource;
  private final AgentCounters counters;
  private final LinkedBlockingDeque<ExportBatch> pending;
  private final Object idle = new Object();
  private final Object backoffLock = new Object();
  private volatile boolean busy;
  private volatile boolean running = true;
  /** Set at shutdown: every pending batch gets one more try, without backoff. */
  private volatile boolean closing;

  private OtlpSender sender;
  private SketchesPoster sketches;
  private ExecutorService senderThreads;

  public ExportLoop(ExportSettings settings, Resource resource, AgentCounters counters) {
    this.settings = settings;
    this.resource = resource;
    this.counters = counters;
    this.pending = new LinkedBlockingDeque<>(Math.max(1, settings.maxPendingBatches));
  }

  /** Queues a batch; never blocks (drops the oldest pending batch when full). */
  public void offer(ExportBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    while (!pending.offerLast(batch)) {
      if (pending.pollFirst() != null) {
        counters.exportDroppedBatches.increment();
      }
    }
  }

  @Override
  public void run() {
    // Our own sends must never become spans of the agent's HTTP-client instrumentation.
    CallDepth.enter(CallDepth.HTTP_CLIENT);
    try {
      while (running || !pending.isEmpty()) {
        ExportBatch batch;
        try {
          batch = pending.pollFirst(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          break;
        }
        if (batch == null) {
          continue;
        }
        busy = true;
        try {
          if (!send(batch)) {
            retryLater(batch);
          }
        } finally {
          busy = false;
          synchronized (idle) {
            idle.notifyAll();
          }
        }
      }
    } catch (Throwable t) {
      AgentLog.warn("export thread stopped: " + t);
    } finally {
      closeExporters();
    }
  }

  private void retryLater(ExportBatch batch) {
    batch.attempts++;
    if (batch.attempts >= settings.maxAttempts || closing) {
      counters.exportDroppedBatches.increment();
      AgentLog.once("export-drop", "giving up an export batch after " + batch.attempts
          + " attempts (later failures are counted in sketchtrace.agent.export.dropped_batches)");
      return;
    }
    if (!pending.offerFirst(batch)) {
      counters.exportDroppedBatches.increment();
      return;
    }
    long backoff = Math.min(settings.maxBackoff.toMillis(),
        Math.max(batch.retryDelayMillis, 500L << Math.min(batch.attempts, 10)));
    batch.retryDelayMillis = -1;
    // A monitor wait, not an interrupt-driven sleep: flush() ends the backoff with notifyAll and
    // never interrupts the thread, which would abort an export in flight.
    synchronized (backoffLock) {
      long deadline = System.currentTimeMillis() + backoff;
      for (long left = backoff; left > 0 && !closing; left = deadline - System.currentTimeMillis()) {
        try {
          backoffLock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private boolean send(ExportBatch batch) {
    ensureExporters();
    boolean ok = true;
    if (!batch.metricsSent) {
      batch.metricsSent = !settings.metricsEnabled || batch.metrics.isEmpty()
          || delivered(batch, sender.sendMetrics(batch.metrics), "metrics");
      ok &= batch.metricsSent;
    }
    if (!batch.spansSent) {
      batch.spansSent = !settings.tracesEnabled || batch.spans.isEmpty()
          || delivered(batch, sender.sendSpans(batch.spans), "spans");
      ok &= batch.spansSent;
    }
    if (!batch.sketchesSent) {
      batch.sketchesSent = !settings.sketchesEnabled || sketches.send(resource, batch);
      if (!batch.sketchesSent) {
        counters.exportFailures.increment();
      }
      ok &= batch.sketchesSent;
    }
    return ok;
  }

  /** True when the part is done with: delivered, or refused for good (counted, not retried). */
  private boolean delivered(ExportBatch batch, SendResult result, String what) {
    switch (result.kind) {
      case SENT:
        return true;
      case REJECTED:
        counters.exportFailures.increment();
        AgentLog.warnOnce("export-rejected:" + what + ":" + result.detail,
            "the OTLP endpoint refused " + what + " (" + result.detail + "); such " + what
                + " are dropped, not retried (counted in sketchtrace.agent.export.failures)");
        return true;
      default:
        counters.exportFailures.increment();
        batch.retryDelayMillis = Math.max(batch.retryDelayMillis, result.retryDelayMillis);
        AgentLog.debug("export of " + what + " failed: " + result.detail);
        return false;
    }
  }

  /** Built on the export thread, at the first batch: nothing of the SDK loads during premain. */
  private void ensureExporters() {
    if (sender != null) {
      return;
    }
    if (!AgentLog.isDebug()) {
      SDK_LOGGER.setLevel(Level.OFF);
    }
    senderThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(
                      () -> {
                        CallDepth.enter(CallDepth.HTTP_CLIENT);
                        r.run();
                      },
                      "sketchtrace-sender");
              t.setDaemon(true);
              return t;
            });
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout)
            .executor(senderThreads)
            .build();
    sender = OtlpEndpoints.GRPC.equals(settings.protocol)
        ? new GrpcOtlpSender(settings, null)
        : new HttpOtlpSender(settings, senderThreads, client);
    sketches = new SketchesPoster(settings.sketchesEndpoint, settings.sketchesEndpointDerived,
        settings.headers, settings.timeout, client);
  }

  /**
   * Waits until every pending batch is sent or given up, at most {@code timeout}; then stops the
   * thread. Called once, from the shutdown hook.
   */
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    closing = true;
    synchronized (backoffLock) {
      backoffLock.notifyAll(); // ends a backoff; the loop tries what is pending once more
    }
    synchronized (idle) {
      while ((busy || !pending.isEmpty()) && System.nanoTime() - deadline < 0) {
        try {
          idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    running = false;
  }

  private void closeExporters() {
    try {
      if (sender != null) {
        sender.close();
      }
      if (senderThreads != null) {
        senderThreads.shutdownNow();
      }
    } catch (Throwable t) {
      AgentLog.debug("closing exporters failed", t);
    }
  }
}
