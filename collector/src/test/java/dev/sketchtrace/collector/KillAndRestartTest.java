package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the collector acknowledged with a 2xx survives kill -9: the collector runs as a child JVM,
 * four senders post metrics and spans concurrently, the JVM is killed (SIGKILL, no shutdown hook)
 * while requests are in flight, and after a restart on the same data directory every
 * acknowledged point and span is there — and nothing that was never sent.
 */
class KillAndRestartTest {
  private static final Pattern READY = Pattern.compile("otlp-http=(\\d+) otlp-grpc=(\\d+) http=(\\d+)");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  /** A started child collector and its ports. */
  record Child(Process process, int otlpHttp, int api) {}

  private Child startChild() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "dev.sketchtrace.collector.Main", "--data-dir", dir.resolve("data").toString(),
        "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--http-port", "0");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String line;
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = READY.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> { try { while (out.readLine() != null) { /* keep the pipe empty */ } } catch (Exception ignored) { } });
        drain.setDaemon(true);
        drain.start();
        return new Child(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)));
      }
    }
    p.destroyForcibly();
    throw new AssertionError("collector did not start:\n" + seen);
  }

  @Test
  void acknowledgedDataSurvivesKill9() throws Exception {
    Child child = startChild();
    AtomicLong ackedPoints = new AtomicLong();
    AtomicLong sentPoints = new AtomicLong();
    AtomicLong ackedRequests = new AtomicLong();
    List<byte[]> ackedTraceIds = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Exception> lastError = new java.util.concurrent.atomic.AtomicReference<>();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < 4; t++) {
      int sender = t;
      senders.submit(() -> {
        for (int i = 0; !stop.get(); i++) {
          long perBucket = 1 + (i % 3);
          byte[] body = OtlpRequests.metrics("crash-svc", OtlpRequests.point(now, "/r" + sender, perBucket)).toByteArray();
          byte[] traceId = new byte[16];
          java.nio.ByteBuffer.wrap(traceId).putLong(sender + 1).putLong(i + 1);
          byte[] spans = OtlpRequests.traces("crash-svc", OtlpRequests.span(traceId, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, now)).toByteArray();
          sentPoints.addAndGet(4 * perBucket);
          try {
            if (post(child.otlpHttp(), "/v1/metrics", body) == 200) {
              ackedPoints.addAndGet(4 * perBucket);
              ackedRequests.incrementAndGet();
            }
            if (post(child.otlpHttp(), "/v1/traces", spans) == 200) ackedTraceIds.add(traceId);
          } catch (Exception e) {
            if (stop.get()) return null; // the collector is gone, as intended
            lastError.set(e);
          }
        }
        return null;
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ackedRequests.get() < 150 && System.nanoTime() < deadline) Thread.sleep(20);
    stop.set(true); // from here on, failures are expected
    child.process().destroyForcibly(); // SIGKILL while requests are in flight
    child.process().waitFor(30, TimeUnit.SECONDS);
    senders.shutdown();
    assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ackedRequests.get()).as("acknowledged requests; last error: %s", lastError.get()).isGreaterThanOrEqualTo(150);

    Child again = startChild();
    try {
      JsonNode ops = json.readTree(get(again.api(), "/api/v1/services/crash-svc/operations?from=now-1h&to=now%2B1h"
          .replace("now%2B1h", String.valueOf(System.currentTimeMillis() + 3_600_000)))).path("operations");
      long stored = 0;
      for (JsonNode op : ops) stored += op.path("count").asLong();
      assertThat(stored).as("stored points").isGreaterThanOrEqualTo(ackedPoints.get()).isLessThanOrEqualTo(sentPoints.get());
      List<byte[]> ids;
      synchronized (ackedTraceIds) {
        ids = new ArrayList<>(ackedTraceIds);
      }
      for (byte[] id : ids) {
        String hex = java.util.HexFormat.of().formatHex(id);
        assertThat(getStatus(again.api(), "/api/v1/traces/" + hex)).as("trace %s", hex).isEqualTo(200);
      }
    } finally {
      again.process().destroyForcibly();
      again.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int post(int port, String path, byte[] body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private int getStatus(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
