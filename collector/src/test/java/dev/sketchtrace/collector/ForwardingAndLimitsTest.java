package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.collector.query.OperationStats;
import dev.sketchtrace.collector.query.TimeRange;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to an upstream OTLP endpoint, the per-metric series cap with its overflow series, and
 * the cap on points waiting for the rollup.
 */
class ForwardingAndLimitsTest {
  @TempDir Path dir;

  @Test
  void everythingStoredIsForwardedUpstream() throws Exception {
    try (InProcessCollector upstream = new InProcessCollector(dir.resolve("up"));
        InProcessCollector front = new InProcessCollector(CollectorConfig.builder().dataDir(dir.resolve("front"))
            .otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).forwardTo(upstream.otlpHttp()))) {
      long now = System.currentTimeMillis() * 1_000_000L;
      byte[] traceId = new byte[16];
      traceId[15] = 42;
      assertThat(front.post("/v1/metrics", "application/x-protobuf",
          OtlpRequests.metrics("fwd", OtlpRequests.point(now, "/f", 3)).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(front.post("/v1/traces", "application/x-protobuf",
          OtlpRequests.traces("fwd", OtlpRequests.span(traceId, new byte[] {1, 1, 1, 1, 1, 1, 1, 1}, now)).toByteArray()).statusCode()).isEqualTo(200);
      long s = now / 1_000_000_000L;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<OperationStats> ops = List.of();
      while (System.nanoTime() < deadline) {
        ops = upstream.collector.query().operations("fwd", null, new TimeRange(s - 60, s + 60));
        if (!ops.isEmpty() && upstream.collector.query().trace(traceId).isPresent()) break;
        Thread.sleep(100);
      }
      assertThat(ops).extracting(OperationStats::count).containsExactly(12L);
      assertThat(upstream.collector.query().trace(traceId)).isPresent();
    }
  }

  @Test
  void seriesBeyondTheCapFoldIntoOneOverflowSeries() throws Exception {
    try (InProcessCollector c = new InProcessCollector(CollectorConfig.builder().dataDir(dir.resolve("cap"))
        .otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).maxSeriesPerMetric(3))) {
      long now = System.currentTimeMillis() * 1_000_000L;
      for (int route = 0; route < 6; route++) {
        assertThat(c.post("/v1/metrics", "application/x-protobuf",
            OtlpRequests.metrics("capped", OtlpRequests.point(now, "/r" + route, 1)).toByteArray()).statusCode()).isEqualTo(200);
      }
      long s = now / 1_000_000_000L;
      List<OperationStats> ops = c.collector.query().operations("capped", null, new TimeRange(s - 60, s + 60));
      assertThat(ops).hasSize(4);
      assertThat(ops.stream().mapToLong(OperationStats::count).sum()).isEqualTo(24);
      assertThat(ops).filteredOn(o -> o.operation().contains("otel.metric.overflow=true")).extracting(OperationStats::count).containsExactly(12L);
      assertThat(c.get("/metrics").body()).contains("sketchtrace_collector_overflow_points_total{metric=\"capped/http.server.request.duration\"} 3");
    }
  }

  @Test
  void metricsAreRefusedWithRetryAfterWhileTheRollupBacklogIsFull() throws Exception {
    try (InProcessCollector c = new InProcessCollector(CollectorConfig.builder().dataDir(dir.resolve("backlog"))
        .otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).maxPendingPoints(2).rollupInterval(java.time.Duration.ofHours(1)))) {
      long now = System.currentTimeMillis() * 1_000_000L;
      byte[] two = OtlpRequests.metrics("backlog", OtlpRequests.point(now, "/a", 1), OtlpRequests.point(now, "/b", 1)).toByteArray();
      assertThat(c.post("/v1/metrics", "application/x-protobuf", two).statusCode()).isEqualTo(200);

      var refused = c.post("/v1/metrics", "application/x-protobuf", two);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).contains("1");
      byte[] traceId = new byte[16];
      traceId[15] = 7;
      assertThat(c.post("/v1/traces", "application/x-protobuf",
          OtlpRequests.traces("backlog", OtlpRequests.span(traceId, new byte[] {1, 1, 1, 1, 1, 1, 1, 1}, now)).toByteArray()).statusCode())
          .as("spans do not wait for the metrics rollup").isEqualTo(200);

      c.collector.rollupNow();
      assertThat(c.post("/v1/metrics", "application/x-protobuf", two).statusCode()).isEqualTo(200);
      long s = now / 1_000_000_000L;
      assertThat(c.collector.query().operations("backlog", null, new TimeRange(s - 60, s + 60)).stream().mapToLong(OperationStats::count).sum())
          .as("the refused request stored nothing").isEqualTo(16);
    }
  }
}
