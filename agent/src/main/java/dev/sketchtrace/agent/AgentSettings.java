package dev.sketchtrace.agent;

import dev.sketchtrace.agent.config.Config;
import dev.sketchtrace.agent.export.ExportSettings;
import dev.sketchtrace.agent.export.OtlpEndpoints;
import dev.sketchtrace.agent.fold.FoldSettings;
import dev.sketchtrace.bootstrap.HeadSampler;
import java.time.Duration;
import java.util.Map;

/**
 * Every agent setting with its key and default, read once from {@link Config} at start. Keys are
 * listed in README.md. Immutable.
 */
final class AgentSettings {
  static final int DEFAULT_QUEUE_CAPACITY = 65_536;
  /**
   * The head-sampling budget: enough for every trace of a lightly loaded service (and Datadog's
   * default rate), while a saturated one exports ~100 whole traces a second instead of paying for
   * every request's spans.
   */
  static final int DEFAULT_MAX_TRACES_PER_SECOND = 100;

  final int queueCapacity;
  final double samplerRatio;
  final boolean samplerParentBased;
  /** New traces head-sampled per second at most (0: no budget). */
  final int maxTracesPerSecond;
  final Duration shutdownTimeout;
  /** How long the folder and exporter wait before starting; events queue (or drop) meanwhile. */
  final Duration pipelineStartDelay;
  /** Whether Byte Buddy is installed on the starter thread rather than in {@code premain}. */
  final boolean backgroundInstall;
  final Fold fold;
  final Export export;

  private AgentSettings(Config c) {
    queueCapacity = c.getInt("sketchtrace.queue.capacity", DEFAULT_QUEUE_CAPACITY, 16, 1 << 24);
    String sampler =
        c.getEnum("otel.traces.sampler", "parentbased_always_on",
            "always_on", "always_off", "traceidratio",
            "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio");
    samplerParentBased = sampler.startsWith("parentbased_");
    double arg = c.getDouble("otel.traces.sampler.arg", 1.0, 0.0, 1.0);
    samplerRatio = sampler.endsWith("always_on") ? 1.0 : sampler.endsWith("always_off") ? 0.0 : arg;
    maxTracesPerSecond = c.getInt("sketchtrace.traces.max-per-second", DEFAULT_MAX_TRACES_PER_SECOND,
        0, HeadSampler.MAX_BUDGET);
    shutdownTimeout = c.getDuration("sketchtrace.shutdown.timeout", Duration.ofSeconds(10));
    pipelineStartDelay = c.getDuration("sketchtrace.pipeline.start-delay", Duration.ZERO);
    backgroundInstall = c.getBoolean("sketchtrace.startup.background-install", true);
    fold = new Fold(c);
    export = new Export(c);
  }

  static AgentSettings from(Config config) {
    return new AgentSettings(config);
  }

  /** Folding and sampling limits. */
  static final class Fold {
    final Duration exportInterval;
    final boolean cumulative;
    final int maxSeries;
    final int maxMetrics;
    final int topK;
    final int maxBufferedSpans;
    final int maxSpansPerBatch;
    final boolean tracesEnabled;

    Fold(Config c) {
      exportInterval = c.getDuration("sketchtrace.export.interval", Duration.ofSeconds(10));
      cumulative =
          "cumulative".equals(
              c.getEnum("otel.exporter.otlp.metrics.temporality.preference", "delta",
                  "delta", "cumulative", "lowmemory"));
      maxSeries = c.getInt("sketchtrace.metrics.max-series", 2000, 1, 1_000_000);
      maxMetrics = c.getInt("sketchtrace.metrics.max-metrics", 256, 1, 10_000);
      topK = c.getInt("sketchtrace.jdbc.top-k", 50, 1, 10_000);
      maxBufferedSpans = c.getInt("sketchtrace.traces.max-buffered-spans", 20_000, 0, 10_000_000);
      maxSpansPerBatch = c.getInt("sketchtrace.traces.max-spans-per-export", 8192, 0, 10_000_000);
      tracesEnabled = !"none".equals(c.getEnum("otel.traces.exporter", "otlp", "otlp", "none"));
    }

    FoldSettings toFoldSettings() {
      return new FoldSettings(exportInterval, cumulative, maxSeries, maxMetrics, topK,
          maxBufferedSpans, maxSpansPerBatch, tracesEnabled);
    }

    String exportIntervalDescription() {
      long ms = exportInterval.toMillis();
      return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
  }

  /** Where and how to export. */
  static final class Export {
    final OtlpEndpoints endpoints;
    final String endpoint;
    final Map<String, String> headers;
    final String compression;
    final Duration timeout;
    final boolean tracesEnabled;
    final boolean metricsEnabled;
    final boolean sketchesEnabled;
    final int maxPendingBatches;

    Export(Config c) {
      String protocol =
          c.getEnum("otel.exporter.otlp.protocol", "http/protobuf", "http/protobuf", "grpc",
              "http/json");
      if ("http/json".equals(protocol)) {
        // The agent ships no JSON encoder.
        AgentLog.warn("otel.exporter.otlp.protocol=http/json is not supported by this agent;"
            + " exporting with http/protobuf (port 4318)");
        protocol = OtlpEndpoints.HTTP_PROTOBUF;
      }
      endpoints =
          OtlpEndpoints.resolve(protocol, c.getString("otel.exporter.otlp.endpoint", null),
              c.getString("otel.exporter.otlp.metrics.endpoint", null),
              c.getString("otel.exporter.otlp.traces.endpoint", null),
              c.getString("sketchtrace.sketches.endpoint", null));
      endpoint = endpoints.base();
      headers = c.getMap("otel.exporter.otlp.headers");
      compression = c.getEnum("otel.exporter.otlp.compression", "none", "none", "gzip");
      timeout = c.getDuration("otel.exporter.otlp.timeout", Duration.ofSeconds(10));
      tracesEnabled = !"none".equals(c.getEnum("otel.traces.exporter", "otlp", "otlp", "none"));
      metricsEnabled = !"none".equals(c.getEnum("otel.metrics.exporter", "otlp", "otlp", "none"));
      sketchesEnabled = metricsEnabled && c.getBoolean("sketchtrace.sketches.enabled", true);
      maxPendingBatches = c.getInt("sketchtrace.export.max-pending-batches", 6, 1, 1000);
    }

    ExportSettings toExportSettings() {
      return new ExportSettings(endpoints, headers, compression, timeout, tracesEnabled,
          metricsEnabled, sketchesEnabled, maxPendingBatches, 3, Duration.ofSeconds(30));
    }

    String describe() {
      return "otlp " + endpoints.protocol() + " " + endpoint;
    }
  }
}
