package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtlpEndpointsTest {
  @Test
  void httpProtobufAppendsTheSignalPaths() {
    OtlpEndpoints e = OtlpEndpoints.resolve(OtlpEndpoints.HTTP_PROTOBUF, null, null, null, null);
    assertThat(e.metrics).isEqualTo("http://localhost:4318/v1/metrics");
    assertThat(e.traces).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(e.sketches).isEqualTo("http://localhost:4318/v1/sketches");
    assertThat(e.sketchesDerived).isFalse();
  }

  @Test
  void grpcDefaultsTo4317AndDerivesSketchesOn4318() {
    OtlpEndpoints e = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, null, null, null, null);
    assertThat(e.metrics).isEqualTo("http://localhost:4317");
    assertThat(e.traces).isEqualTo("http://localhost:4317");
    assertThat(e.sketches).isEqualTo("http://localhost:4318/v1/sketches");
    assertThat(e.sketchesDerived).isTrue();

    OtlpEndpoints custom = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, "https://otel.example:14317/",
        null, "http://tempo:4317", null);
    assertThat(custom.metrics).isEqualTo("https://otel.example:14317");
    assertThat(custom.traces).isEqualTo("http://tempo:4317");
    assertThat(custom.sketches).isEqualTo("https://otel.example:4318/v1/sketches");

    OtlpEndpoints ipv6 = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, "http://[::1]:4317", null, null, null);
    assertThat(ipv6.sketches).isEqualTo("http://[::1]:4318/v1/sketches");

    OtlpEndpoints configured = OtlpEndpoints.resolve(OtlpEndpoints.GRPC, "http://c:4317", null, null,
        "http://c:9999/v1/sketches");
    assertThat(configured.sketches).isEqualTo("http://c:9999/v1/sketches");
    assertThat(configured.sketchesDerived).isFalse();
  }
}
