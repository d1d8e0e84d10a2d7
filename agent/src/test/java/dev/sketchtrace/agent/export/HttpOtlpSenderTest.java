package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedSpan;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The span POST of the http/protobuf transport, against the stub receiver (official decoding). */
class HttpOtlpSenderTest {
  @ParameterizedTest(name = "compression={0}")
  @ValueSource(strings = {"none", "gzip"})
  void encodedSpansArriveWholeAndAFailingBackendAsksForARetry(String compression) {
    ExecutorService threads = Executors.newCachedThreadPool();
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start()) {
      OtlpEndpoints endpoints = OtlpEndpoints.resolve(OtlpEndpoints.HTTP_PROTOBUF,
          receiver.endpoint(), null, null, null);
      ExportSettings settings = new ExportSettings(endpoints, Map.of("x-api-key", "k"),
          compression, Duration.ofSeconds(10), true, true, false, 6, 3, Duration.ofSeconds(1));
      HttpOtlpSender sender = new HttpOtlpSender(settings, threads,
          HttpClient.newBuilder().executor(threads).build());
      try {
        assertThat(sender.sendSpans(Telemetry.spans(1, "a", "b", "c")).kind)
            .isEqualTo(SendResult.Kind.SENT);
        List<ReceivedSpan> spans = receiver.spans();
        assertThat(spans).extracting(ReceivedSpan::name).containsExactly("span-1", "span-2", "span-3");
        assertThat(spans.get(2).attribute("payload")).isEqualTo("c");
        assertThat(spans.get(0).resource()).containsEntry("service.name", "grpc-test");

        receiver.respondWith(503);
        SendResult failed = sender.sendSpans(Telemetry.spans(4, "d"));
        assertThat(failed.kind).isEqualTo(SendResult.Kind.RETRY);
        assertThat(failed.detail).contains("503");
      } finally {
        sender.close();
      }
      assertThat(receiver.requestCount("/v1/traces")).isEqualTo(2);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void nothingListeningIsARetryNotAnError() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try {
      OtlpEndpoints endpoints = OtlpEndpoints.resolve(OtlpEndpoints.HTTP_PROTOBUF,
          "http://127.0.0.1:" + port, null, null, null);
      HttpOtlpSender sender = new HttpOtlpSender(new ExportSettings(endpoints, Map.of(), "none",
          Duration.ofSeconds(5), true, true, false, 6, 3, Duration.ofSeconds(1)), threads,
          HttpClient.newBuilder().executor(threads).build());
      assertThat(sender.sendSpans(Telemetry.spans(1, "x")).kind).isEqualTo(SendResult.Kind.RETRY);
      sender.close();
    } finally {
      threads.shutdownNow();
    }
  }
}
