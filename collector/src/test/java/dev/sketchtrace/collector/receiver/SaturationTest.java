package dev.sketchtrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.forward.Forwarder;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A full ingest queue is answered at once with 503 + Retry-After, never buffered. */
class SaturationTest {
  @Test
  void fullIngestQueueGets503WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (IngestExecutor executor = new IngestExecutor(1, 1)) {
      Runnable blocked = () -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      assertThat(executor.tryExecute(blocked)).isTrue(); // occupies the only thread
      assertThat(executor.tryExecute(blocked)).isTrue(); // fills the queue
      ReceiverStats stats = new ReceiverStats();
      OtlpHttpReceiver receiver = OtlpHttpReceiver.traces(null, executor, Forwarder.to(null), stats, 1 << 20);
      HttpRequest req = HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
          .contentType(MediaType.parse("application/x-protobuf")).build(), com.linecorp.armeria.common.HttpData.wrap(new byte[0]));
      ServiceRequestContext ctx = ServiceRequestContext.of(req);
      AggregatedHttpResponse res = receiver.serve(ctx, req).aggregate().join();
      assertThat(res.status().code()).isEqualTo(503);
      assertThat(res.headers().get("retry-after")).isEqualTo("1");
      assertThat(stats.snapshot()).containsEntry("traces|saturated", 1L);
      release.countDown();
    }
  }
}
