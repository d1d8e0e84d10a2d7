package dev.sketchtrace.benchmarks.collector;

// Ingest and rollup cost, in process, as CPU time per point: of the collector's ingest threads
// (sketchtrace-ingest-*: decode, validate, convert, write) while the points are posted, and of the
// thread that runs the rollup. Thread CPU time is far less disturbed by other processes than rates.
// Build and run against any collector jar (it uses only Collector, CollectorConfig and the load
// generator's body encoder):
//   javac -d /tmp/rc -cp collector/target/sketchtrace-collector.jar \
//     benchmarks/src/main/java/dev/sketchtrace/benchmarks/collector/{OtlpBodies,ProtoWriter}.java benchmarks/collector/RollupCost.java
//   java -Xmx1g -cp /tmp/rc:collector/target/sketchtrace-collector.jar dev.sketchtrace.benchmarks.collector.RollupCost 120
// Each of three rounds posts N requests of 1 000 points (10 000 series, one time per request spread
// over the last hour, as run.sh does), then rolls them up on the main thread.

import dev.sketchtrace.collector.Collector;
import dev.sketchtrace.collector.CollectorConfig;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** In-process: ingest and rollup CPU time for N metrics requests (1 000 points each, 10 000 series, spread over 1 h). */
public final class RollupCost {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Path dir = Files.createTempDirectory("rollupcost");
    Collector c = Collector.start(CollectorConfig.builder().dataDir(dir).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0)
        .rollupInterval(Duration.ofHours(1)).build());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long now = System.currentTimeMillis() * 1_000_000L;
    Random random = new Random(1);
    byte[][] bodies = new byte[64][];
    int cursor = 0;
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = OtlpBodies.metrics("bench", 1000, cursor % 10000, now - (long) random.nextInt(3600) * 1_000_000_000L, random);
      cursor += 1000;
    }
    var bean = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      long ingestCpu = -ingestThreadsCpu(bean);
      long ingestWall = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.otlpHttpPort() + "/v1/metrics"))
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length])).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) throw new IllegalStateException("status " + status);
      }
      ingestWall = System.nanoTime() - ingestWall;
      ingestCpu += ingestThreadsCpu(bean);
      long t0 = bean.getCurrentThreadCpuTime();
      c.rollupNow();
      long cpu = bean.getCurrentThreadCpuTime() - t0;
      System.out.printf("round %d: %d points, ingest threads CPU %.2f us/point, rollup thread CPU %.2f us/point (ingest wall %.1f s)%n",
          round, n * 1000L, ingestCpu / 1e3 / (n * 1000.0), cpu / 1e3 / (n * 1000.0), ingestWall / 1e9);
    }
    c.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static long ingestThreadsCpu(java.lang.management.ThreadMXBean bean) {
    long total = 0;
    for (var info : bean.getThreadInfo(bean.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("sketchtrace-ingest-")) total += Math.max(0, bean.getThreadCpuTime(info.getThreadId()));
    }
    return total;
  }
}
