package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sketchtrace.collector.query.SpanView;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/gRPC traces: requests are taken as bytes and decoded in place, as on OTLP/HTTP. */
class OtlpGrpcTracesTest {
  @TempDir Path dir;

  @Test
  void spansExportedByTheSdkOverGrpcAreStoredAsSent() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dir)) {
      OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint(c.otlpGrpc()).build();
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "grpc-shop")))
          .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
      Tracer tracer = provider.get("test");
      Span root = tracer.spanBuilder("GET /cart").setAttribute("http.route", "/cart").startSpan();
      try (Scope ignored = root.makeCurrent()) {
        tracer.spanBuilder("SELECT cart").setAttribute("db.system.name", "postgresql").startSpan().end();
      }
      root.end();
      assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
      List<SpanView> spans = c.collector.query().trace(HexFormat.of().parseHex(root.getSpanContext().getTraceId())).orElseThrow();
      assertThat(spans).extracting(SpanView::name).containsExactly("GET /cart", "SELECT cart");
      assertThat(spans).extracting(SpanView::service).containsOnly("grpc-shop");
      assertThat(spans.get(1).attributes()).containsEntry("db.system.name", "postgresql");
      provider.close();
    }
  }

  @Test
  void aMalformedMessageIsInvalidArgumentAndStoresNothing() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dir)) {
      byte[] message = {0x0A, 0x05, 0x12, 0x7F, 0x01}; // resource_spans whose scope_spans claims 127 bytes of 3
      byte[] frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
      AggregatedHttpResponse r = WebClient.of("h2c://127.0.0.1:" + c.collector.otlpGrpcPort())
          .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
              .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build(), HttpData.wrap(frame)))
          .aggregate().join();
      String status = r.trailers().contains("grpc-status") ? r.trailers().get("grpc-status") : r.headers().get("grpc-status");
      assertThat(status).isEqualTo("3"); // INVALID_ARGUMENT
      assertThat(c.collector.query().traces(new dev.sketchtrace.collector.query.TraceQuery(
          new dev.sketchtrace.collector.query.TimeRange(0, Long.MAX_VALUE / 2_000_000_000L), null, null, 0, null, 10))).isEmpty();
    }
  }
}
