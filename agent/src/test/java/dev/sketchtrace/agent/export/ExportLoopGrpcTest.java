package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.agent.fold.AgentCounters;
import io.grpc.Status;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The export loop's retry policy with the gRPC transport: a retryable status (UNAVAILABLE) is sent
 * again until it succeeds; a final one (INVALID_ARGUMENT) is sent once, counted, and not retried.
 */
class ExportLoopGrpcTest {
  @Test
  void unavailableIsRetriedUntilDelivered() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start()) {
      AtomicInteger calls = new AtomicInteger();
      server.respondWith(r -> calls.incrementAndGet() <= 2
          ? Status.UNAVAILABLE.withDescription("warming up").asRuntimeException() : null);
      AgentCounters counters = runOneBatch(server, 5, 3);
      assertThat(server.metrics).hasSize(3);
      assertThat(counters.exportFailures.sum()).isEqualTo(2);
      assertThat(counters.exportDroppedBatches.sum()).isZero();
    }
  }

  @Test
  void invalidArgumentIsNotRetried() throws Exception {
    try (OtlpGrpcTestServer server = OtlpGrpcTestServer.start()) {
      server.respondWith(r -> Status.INVALID_ARGUMENT.withDescription("no").asRuntimeException());
      AgentCounters counters = runOneBatch(server, 5, 1);
      assertThat(server.metrics).hasSize(1);
      assertThat(counters.exportFailures.sum()).isEqualTo(1);
      assertThat(counters.exportDroppedBatches.sum()).isZero();
    }
  }

  private static AgentCounters runOneBatch(OtlpGrpcTestServer server, int maxAttempts, int calls)
      throws InterruptedException {
    OtlpEndpoints endpoints =
        OtlpEndpoints.resolve(OtlpEndpoints.GRPC, server.endpoint(), null, null, null);
    ExportSettings settings = new ExportSettings(endpoints, Map.of(), "none", Duration.ofSeconds(10),
        true, true, false, 6, maxAttempts, Duration.ofMillis(20));
    AgentCounters counters = new AgentCounters();
    ExportLoop loop = new ExportLoop(settings, Telemetry.RESOURCE, counters);
    Thread thread = new Thread(loop, "test-export");
    thread.start();
    loop.offer(new ExportBatch(List.of(Telemetry.counter("c", 7)), EncodedSpans.NONE,
        Collections.emptyList(), 0, 1));
    // flush() gives a failed batch only one more try, so it is called once the calls expected
    // before it have arrived; a batch still being retried then would add one more call.
    waitUntil(() -> server.metrics.size() >= calls);
    loop.flush(Duration.ofSeconds(20));
    thread.join(20_000);
    return counters;
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 2000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
  }
}
