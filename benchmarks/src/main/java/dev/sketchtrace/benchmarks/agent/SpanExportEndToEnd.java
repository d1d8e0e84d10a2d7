package dev.sketchtrace.benchmarks.agent;

import com.sun.net.httpserver.HttpServer;
import dev.sketchtrace.agent.export.EncodedSpans;
import dev.sketchtrace.agent.export.ExportBatch;
import dev.sketchtrace.agent.export.ExportLoop;
import dev.sketchtrace.agent.export.ExportSettings;
import dev.sketchtrace.agent.export.OtlpEndpoints;
import dev.sketchtrace.agent.fold.AgentCounters;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The whole span export path on one JVM: {@link SpanExportBenchmark}'s realistic spans encoded as
 * the folder encodes them, handed to the real {@link ExportLoop} and sent over http/protobuf to a
 * loopback sink that discards them. Reports the CPU time and allocation per span of every thread
 * but the sink's (the encoding thread, the export thread, the JDK HTTP client's threads), after a
 * warm-up as long as the measurement: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.sketchtrace.benchmarks.agent.SpanExportEndToEnd [requests]}.
 */
public final class SpanExportEndToEnd {
  private SpanExportEndToEnd() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Semaphore received = new Semaphore(0);
    HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sink.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        body.transferTo(java.io.OutputStream.nullOutputStream());
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      received.release();
    });
    sink.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "sink-worker")));
    sink.start();
    try {
      OtlpEndpoints endpoints = OtlpEndpoints.resolve(OtlpEndpoints.HTTP_PROTOBUF,
          "http://127.0.0.1:" + sink.getAddress().getPort(), null, null, null);
      ExportSettings settings = new ExportSettings(endpoints, Map.of(), "none",
          Duration.ofSeconds(10), true, false, false, 6, 3, Duration.ofSeconds(1));
      ExportLoop loop = new ExportLoop(settings, Resource.empty(), new AgentCounters());
      Thread exportThread = new Thread(loop, "sketchtrace-export");
      exportThread.setDaemon(true);
      exportThread.start();
      SpanExportBenchmark spans = new SpanExportBenchmark();
      spans.setUp();
      send(spans, loop, received, requests);
      long[] before = agentThreads();
      send(spans, loop, received, requests);
      long[] after = agentThreads();
      long count = (long) requests * SpanExportBenchmark.SPANS;
      System.out.printf("http/protobuf, %d requests of %d spans: %.2f µs CPU/span, %.0f B allocated/span%n",
          requests, SpanExportBenchmark.SPANS, (after[0] - before[0]) / 1e3 / count,
          (double) (after[1] - before[1]) / count);
      loop.flush(Duration.ofSeconds(5));
    } finally {
      sink.stop(0);
    }
  }

  /** One request at a time, as the folder hands over one batch per window. */
  private static void send(SpanExportBenchmark spans, ExportLoop loop, Semaphore received,
      int requests) throws InterruptedException {
    for (int i = 0; i < requests; i++) {
      EncodedSpans encoded = spans.encode();
      loop.offer(new ExportBatch(Collections.emptyList(), encoded, Collections.emptyList(), 0, 1));
      received.acquire();
    }
  }

  /** CPU nanoseconds and bytes allocated so far by every live thread except the sink's. */
  private static long[] agentThreads() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpu = 0;
    long allocated = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith("sink-") || name.startsWith("HTTP-Dispatcher")) {
        continue;
      }
      cpu += Math.max(0, threads.getThreadCpuTime(t.getId()));
      allocated += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
    }
    return new long[] {cpu, allocated};
  }
}
