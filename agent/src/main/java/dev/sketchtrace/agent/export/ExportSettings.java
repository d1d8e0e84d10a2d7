package dev.sketchtrace.agent.export;

import java.time.Duration;
import java.util.Map;

/** Where and how to export, resolved from configuration. Immutable. */
public final class ExportSettings {
  /** {@link OtlpEndpoints#HTTP_PROTOBUF} or {@link OtlpEndpoints#GRPC}. */
  final String protocol;
  final String tracesEndpoint;
  final String metricsEndpoint;
  final String sketchesEndpoint;
  /** The sketches endpoint was derived, not configured: a refused connection switches it off. */
  final boolean sketchesEndpointDerived;
  final Map<String, String> headers;
  final String compression;
  final Duration timeout;
  final boolean tracesEnabled;
  final boolean metricsEnabled;
  final boolean sketchesEnabled;
  final int maxPendingBatches;
  final int maxAttempts;
  final Duration maxBackoff;

  /** http/protobuf to explicit URLs. */
  public ExportSettings(
      String tracesEndpoint,
      String metricsEndpoint,
      String sketchesEndpoint,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      boolean tracesEnabled,
      boolean metricsEnabled,
      boolean sketchesEnabled,
      int maxPendingBatches,
      int maxAttempts,
      Duration maxBackoff) {
    this(OtlpEndpoints.HTTP_PROTOBUF, tracesEndpoint, metricsEndpoint, sketchesEndpoint, false,
        headers, compression, timeout, tracesEnabled, metricsEnabled, sketchesEnabled,
        maxPendingBatches, maxAttempts, maxBackoff);
  }

  /** Either protocol, to the endpoints {@link OtlpEndpoints#resolve} chose. */
  public ExportSettings(
      OtlpEndpoints endpoints,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      boolean tracesEnabled,
      boolean metricsEnabled,
      boolean sketchesEnabled,
      int maxPendingBatches,
      int maxAttempts,
      Duration maxBackoff) {
    this(endpoints.protocol, endpoints.traces, endpoints.metrics, endpoints.sketches,
        endpoints.sketchesDerived, headers, compression, timeout, tracesEnabled, metricsEnabled,
        sketchesEnabled, maxPendingBatches, maxAttempts, maxBackoff);
  }

  private ExportSettings(
      String protocol,
      String tracesEndpoint,
      String metricsEndpoint,
      String sketchesEndpoint,
      boolean sketchesEndpointDerived,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      boolean tracesEnabled,
      boolean metricsEnabled,
      boolean sketchesEnabled,
      int maxPendingBatches,
      int maxAttempts,
      Duration maxBackoff) {
    this.protocol = protocol;
    this.tracesEndpoint = tracesEndpoint;
    this.metricsEndpoint = metricsEndpoint;
    this.sketchesEndpoint = sketchesEndpoint;
    this.sketchesEndpointDerived = sketchesEndpointDerived;
    this.headers = headers;
    this.compression = compression;
    this.timeout = timeout;
    this.tracesEnabled = tracesEnabled;
    this.metricsEnabled = metricsEnabled;
    this.sketchesEnabled = sketchesEnabled;
    this.maxPendingBatches = maxPendingBatches;
    this.maxAttempts = maxAttempts;
    this.maxBackoff = maxBackoff;
  }
}
