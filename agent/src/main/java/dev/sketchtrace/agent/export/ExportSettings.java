package dev.sketchtrace.agent.export;

import java.time.Duration;
import java.util.Map;

/** Where and how to export, resolved from configuration. Immutable. */
public final class ExportSettings {
  final String tracesEndpoint;
  final String metricsEndpoint;
  final String sketchesEndpoint;
  final Map<String, String> headers;
  final String compression;
  final Duration timeout;
  final boolean tracesEnabled;
  final boolean metricsEnabled;
  final boolean sketchesEnabled;
  final int maxPendingBatches;
  final int maxAttempts;
  final Duration maxBackoff;

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
    this.tracesEndpoint = tracesEndpoint;
    this.metricsEndpoint = metricsEndpoint;
    this.sketchesEndpoint = sketchesEndpoint;
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
