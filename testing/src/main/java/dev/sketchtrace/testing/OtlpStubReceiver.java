package dev.sketchtrace.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * A stub OTLP/HTTP receiver for tests: it accepts {@code /v1/traces}, {@code /v1/metrics}, {@code
 * /v1/logs} (protobuf, optionally gzip'd) and {@code /v1/sketches} (raw JSON) on 127.0.0.1 at an
 * ephemeral port, decodes with the official OTLP protobuf classes and keeps what arrived.
 *
 * <p>Thread-safe: the server's threads append, test threads read snapshots.
 */
public final class OtlpStubReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
  private final List<String> sketchPayloads = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
  private volatile int forcedStatus;

  private OtlpStubReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on 127.0.0.1 at a free port. */
  public static OtlpStubReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpStubReceiver receiver = new OtlpStubReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "otlp-stub-receiver");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the stub OTLP receiver", e);
    }
  }

  /** The base URL to give as {@code otel.exporter.otlp.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<ReceivedMetric> metrics() {
    return List.copyOf(metrics);
  }

  /** Raw JSON bodies POSTed to {@code /v1/sketches}. */
  public List<String> sketchPayloads() {
    return List.copyOf(sketchPayloads);
  }

  /** Polls until {@code until} holds for the spans received; fails with what arrived if not. */
  public List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> until, Duration timeout) {
    return await(this::spans, until, timeout, "spans");
  }

  /** Polls until {@code until} holds for the metrics received; fails with what arrived if not. */
  public List<ReceivedMetric> awaitMetrics(
      Predicate<List<ReceivedMetric>> until, Duration timeout) {
    return await(this::metrics, until, timeout, "metrics");
  }

  /**
   * Answers every later request with {@code status} (e.g. 503) and keeps nothing, simulating an
   * unhealthy backend; 0 restores normal service.
   */
  public void respondWith(int status) {
    forcedStatus = status;
  }

  /** How many requests arrived for {@code path} (e.g. {@code /v1/metrics}), answered or not. */
  public int requestCount(String path) {
    AtomicInteger count = requestCounts.get(path);
    return count == null ? 0 : count.get();
  }

  public void clear() {
    spans.clear();
    metrics.clear();
    sketchPayloads.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static <T> List<T> await(
      Supplier<List<T>> snapshot, Predicate<List<T>> until, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<T> now = snapshot.get();
      if (until.test(now)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder dump = new StringBuilder();
        dump.append("timed out after ").append(timeout).append(" waiting for ").append(what)
            .append("; received ").append(now.size()).append(":\n");
        now.stream().limit(200).forEach(item -> dump.append("  ").append(item).append('\n'));
        throw new AssertionError(dump.toString());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (exchange) {
      byte[] body = readBody(exchange);
      int status = forcedStatus;
      if (status != 0) {
        respond(exchange, status, "forced by test");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "POST only");
        return;
      }
      switch (path) {
        case "/v1/traces":
          acceptTraces(ExportTraceServiceRequest.parseFrom(body));
          respondProtobuf(exchange);
          break;
        case "/v1/metrics":
          acceptMetrics(ExportMetricsServiceRequest.parseFrom(body));
          respondProtobuf(exchange);
          break;
        case "/v1/logs":
          respondProtobuf(exchange);
          break;
        case "/v1/sketches":
          sketchPayloads.add(new String(body, StandardCharsets.UTF_8));
          respond(exchange, 200, "{}");
          break;
        default:
          respond(exchange, 404, "unknown path " + path);
      }
    } catch (InvalidProtocolBufferException e) {
      respond(exchange, 400, "bad protobuf: " + e.getMessage());
    }
  }

  private void acceptTraces(ExportTraceServiceRequest request) {
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, String> resource = Attributes.toStringMap(
          resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(new ReceivedSpan(resource, span));
        }
      }
    }
  }

  private void acceptMetrics(ExportMetricsServiceRequest request) {
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      Map<String, String> resource = Attributes.toStringMap(
          resourceMetrics.getResource().getAttributesList());
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          metrics.add(new ReceivedMetric(resource, metric));
        }
      }
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    byte[] raw = in.readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return gunzip.readAllBytes();
      }
    }
    return raw;
  }

  private static void respondProtobuf(HttpExchange exchange) throws IOException {
    // An empty Export*ServiceResponse encodes as zero bytes: full success.
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, -1);
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
