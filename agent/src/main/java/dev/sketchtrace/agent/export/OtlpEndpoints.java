package dev.sketchtrace.agent.export;

import java.net.URI;

/**
 * Where each signal goes, resolved from the OpenTelemetry endpoint keys and the protocol.
 *
 * <ul>
 *   <li>{@code http/protobuf}: the base defaults to {@code http://localhost:4318}; the signal URLs
 *       are the base plus {@code /v1/metrics}, {@code /v1/traces}, {@code /v1/sketches}.
 *   <li>{@code grpc}: the base defaults to {@code http://localhost:4317}; the signal endpoints are
 *       origins (the service path is fixed by OTLP/gRPC, as in the OpenTelemetry SDK). {@code
 *       /v1/sketches} is not part of OTLP and exists only over HTTP, so unless {@code
 *       sketchtrace.sketches.endpoint} names it, it is derived: the gRPC base's scheme and host
 *       with port 4318 — where the bundled collector (and an OpenTelemetry Collector) listens for
 *       OTLP/HTTP. A derived endpoint that refuses connections or answers 404 switches the
 *       sketches off once, with one line; metrics and spans are unaffected.
 * </ul>
 *
 * Immutable.
 */
public final class OtlpEndpoints {
  public static final String HTTP_PROTOBUF = "http/protobuf";
  public static final String GRPC = "grpc";

  final String protocol;
  final String base;
  final String metrics;
  final String traces;
  final String sketches;
  /** True when {@link #sketches} was derived rather than configured. */
  final boolean sketchesDerived;

  private OtlpEndpoints(String protocol, String base, String metrics, String traces,
      String sketches, boolean sketchesDerived) {
    this.protocol = protocol;
    this.base = base;
    this.metrics = metrics;
    this.traces = traces;
    this.sketches = sketches;
    this.sketchesDerived = sketchesDerived;
  }

  /**
   * @param protocol {@link #HTTP_PROTOBUF} or {@link #GRPC}
   * @param endpoint {@code otel.exporter.otlp.endpoint}, or null when not set
   * @param metricsEndpoint {@code otel.exporter.otlp.metrics.endpoint}, or null
   * @param tracesEndpoint {@code otel.exporter.otlp.traces.endpoint}, or null
   * @param sketchesEndpoint {@code sketchtrace.sketches.endpoint}, or null
   */
  public static OtlpEndpoints resolve(String protocol, String endpoint, String metricsEndpoint,
      String tracesEndpoint, String sketchesEndpoint) {
    boolean grpc = GRPC.equals(protocol);
    String base = trimSlash(endpoint != null ? endpoint
        : grpc ? "http://localhost:4317" : "http://localhost:4318");
    if (!grpc) {
      return new OtlpEndpoints(HTTP_PROTOBUF, base,
          metricsEndpoint != null ? metricsEndpoint : base + "/v1/metrics",
          tracesEndpoint != null ? tracesEndpoint : base + "/v1/traces",
          sketchesEndpoint != null ? sketchesEndpoint : base + "/v1/sketches",
          false);
    }
    String sketches = sketchesEndpoint;
    if (sketches == null) {
      URI uri = URI.create(base);
      String host = uri.getHost() == null ? "localhost" : uri.getHost();
      if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
        host = "[" + host + "]"; // an IPv6 literal
      }
      sketches = (uri.getScheme() == null ? "http" : uri.getScheme()) + "://" + host + ":4318/v1/sketches";
    }
    return new OtlpEndpoints(GRPC, base,
        metricsEndpoint != null ? metricsEndpoint : base,
        tracesEndpoint != null ? tracesEndpoint : base,
        sketches,
        sketchesEndpoint == null);
  }

  public String protocol() {
    return protocol;
  }

  public String base() {
    return base;
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
