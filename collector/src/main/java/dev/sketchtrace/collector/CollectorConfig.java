package dev.sketchtrace.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable: the collector's settings. Each flag {@code --name value} has the environment variable
 * {@code SKETCHTRACE_COLLECTOR_NAME} as a fallback (flag, then environment, then default). A bad value
 * is a {@link IllegalArgumentException} naming the flag: configuration complains, early and once.
 */
public final class CollectorConfig {
  public static final long GIB = 1L << 30;

  public final Path dataDir;
  public final String bind;
  public final int otlpHttpPort;
  public final int otlpGrpcPort;
  public final int httpPort;
  /** Bearer token every endpoint but {@code /healthz} requires; null when none is configured. */
  public final String token;
  /** Upstream OTLP/HTTP base URL (e.g. {@code http://otel:4318}); null when not forwarding. */
  public final String forwardTo;
  public final int maxSeriesPerMetric;
  public final long maxSpanBytes;
  public final Duration maxSpanAge;
  /** Largest request body accepted on the wire, compressed. */
  public final int maxRequestBytes;
  /** Largest request body after gunzip: the decompression-bomb limit. */
  public final int maxDecompressedBytes;
  /** Ingest requests being stored at once; beyond it requests get 503 + Retry-After. */
  public final int maxInFlightIngest;
  /** How often closed raw points are rolled up into the tiers. */
  public final Duration rollupInterval;
  /**
   * Metric points waiting for the rollup (held in memory) beyond which metric requests get 503 +
   * Retry-After; bounds the heap when points arrive faster than the rollup folds them.
   */
  public final long maxPendingPoints;
  /** The alert rule file read at start-up ({@code --alert-rules}); null when none is given. */
  public final Path alertRules;

  private CollectorConfig(Builder b) {
    this.dataDir = b.dataDir;
    this.bind = b.bind;
    this.otlpHttpPort = b.otlpHttpPort;
    this.otlpGrpcPort = b.otlpGrpcPort;
    this.httpPort = b.httpPort;
    this.token = b.token;
    this.forwardTo = b.forwardTo;
    this.maxSeriesPerMetric = b.maxSeriesPerMetric;
    this.maxSpanBytes = b.maxSpanBytes;
    this.maxSpanAge = b.maxSpanAge;
    this.maxRequestBytes = b.maxRequestBytes;
    this.maxDecompressedBytes = b.maxDecompressedBytes;
    this.maxInFlightIngest = b.maxInFlightIngest;
    this.rollupInterval = b.rollupInterval;
    this.maxPendingPoints = b.maxPendingPoints;
    this.alertRules = b.alertRules;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when the bind address is a loopback address (where no token is required). */
  public boolean bindsLoopback() {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public static final String HELP =
      String.join(
          "\n",
          "Usage: java -jar sketchtrace-collector.jar [options]",
          "",
          "The bundled Sketchtrace collector: OTLP/HTTP + OTLP/gRPC receivers, an embedded sketch",
          "store, the query API and Prometheus /metrics. Every option also reads the environment",
          "variable shown (flag first, then environment, then default).",
          "",
          "  --data-dir DIR          SKETCHTRACE_COLLECTOR_DATA_DIR        default ./sketchtrace-data",
          "  --bind ADDRESS          SKETCHTRACE_COLLECTOR_BIND            default 127.0.0.1",
          "  --otlp-http-port N      SKETCHTRACE_COLLECTOR_OTLP_HTTP_PORT  default 4318 (0 = any free)",
          "  --otlp-grpc-port N      SKETCHTRACE_COLLECTOR_OTLP_GRPC_PORT  default 4317 (0 = any free)",
          "  --http-port N           SKETCHTRACE_COLLECTOR_HTTP_PORT       default 4040 (query API, /metrics)",
          "  --token TOKEN           SKETCHTRACE_COLLECTOR_TOKEN           bearer token; required when",
          "                                                                --bind is not loopback",
          "  --forward-to URL        SKETCHTRACE_COLLECTOR_FORWARD_TO      upstream OTLP/HTTP base URL",
          "  --max-series-per-metric N  SKETCHTRACE_COLLECTOR_MAX_SERIES_PER_METRIC  default 10000",
          "  --max-span-bytes N      SKETCHTRACE_COLLECTOR_MAX_SPAN_BYTES  default 1073741824 (1 GiB)",
          "  --max-span-age-hours N  SKETCHTRACE_COLLECTOR_MAX_SPAN_AGE_HOURS default 168",
          "  --max-request-bytes N   SKETCHTRACE_COLLECTOR_MAX_REQUEST_BYTES default 16777216",
          "  --alert-rules FILE      SKETCHTRACE_COLLECTOR_ALERT_RULES     alert rules (JSON, see ALERTS.md)",
          "  --help                  print this text",
          "");

  /** Parses flags with {@code env} as the fallback. */
  public static CollectorConfig parse(String[] args, Map<String, String> env) {
    Builder b = builder();
    java.util.Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "' (see --help)");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      flags.put(name, value);
    }
    for (String name : flags.keySet()) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
      }
    }
    String v;
    if ((v = get(flags, env, "data-dir")) != null) b.dataDir(Paths.get(v));
    if ((v = get(flags, env, "bind")) != null) b.bind(v);
    if ((v = get(flags, env, "otlp-http-port")) != null) b.otlpHttpPort(port("otlp-http-port", v));
    if ((v = get(flags, env, "otlp-grpc-port")) != null) b.otlpGrpcPort(port("otlp-grpc-port", v));
    if ((v = get(flags, env, "http-port")) != null) b.httpPort(port("http-port", v));
    if ((v = get(flags, env, "token")) != null && !v.isEmpty()) b.token(v);
    if ((v = get(flags, env, "forward-to")) != null && !v.isEmpty()) b.forwardTo(v);
    if ((v = get(flags, env, "max-series-per-metric")) != null) {
      b.maxSeriesPerMetric((int) positive("max-series-per-metric", v));
    }
    if ((v = get(flags, env, "max-span-bytes")) != null) b.maxSpanBytes(positive("max-span-bytes", v));
    if ((v = get(flags, env, "max-span-age-hours")) != null) {
      b.maxSpanAge(Duration.ofHours(positive("max-span-age-hours", v)));
    }
    if ((v = get(flags, env, "alert-rules")) != null && !v.isEmpty()) b.alertRules(Paths.get(v));
    if ((v = get(flags, env, "max-request-bytes")) != null) {
      b.maxRequestBytes((int) Math.min(Integer.MAX_VALUE / 8, positive("max-request-bytes", v)));
    }
    return b.build();
  }

  private static final java.util.Set<String> KNOWN =
      java.util.Set.of(
          "data-dir", "bind", "otlp-http-port", "otlp-grpc-port", "http-port", "token",
          "forward-to", "max-series-per-metric", "max-span-bytes", "max-span-age-hours",
          "max-request-bytes", "alert-rules");

  private static String get(Map<String, String> flags, Map<String, String> env, String name) {
    String v = flags.get(name);
    if (v != null) return v;
    return env.get("SKETCHTRACE_COLLECTOR_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }

  private static int port(String name, String v) {
    long p = number(name, v);
    if (p < 0 || p > 65535) throw new IllegalArgumentException("--" + name + " must be 0..65535, got " + v);
    return (int) p;
  }

  private static long positive(String name, String v) {
    long n = number(name, v);
    if (n <= 0) throw new IllegalArgumentException("--" + name + " must be positive, got " + v);
    return n;
  }

  private static long number(String name, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
    }
  }

  /** Not thread-safe; validates in {@link #build()}. */
  public static final class Builder {
    private Path dataDir = Paths.get("sketchtrace-data");
    private String bind = "127.0.0.1";
    private int otlpHttpPort = 4318;
    private int otlpGrpcPort = 4317;
    private int httpPort = 4040;
    private String token;
    private String forwardTo;
    private int maxSeriesPerMetric = 10_000;
    private long maxSpanBytes = GIB;
    private Duration maxSpanAge = Duration.ofDays(7);
    private int maxRequestBytes = 16 << 20;
    private int maxDecompressedBytes = 64 << 20;
    private int maxInFlightIngest = 32;
    private Duration rollupInterval = Duration.ofSeconds(5);
    private long maxPendingPoints = 1_000_000;
    private Path alertRules;

    public Builder dataDir(Path v) { this.dataDir = Objects.requireNonNull(v); return this; }
    public Builder bind(String v) { this.bind = Objects.requireNonNull(v); return this; }
    public Builder otlpHttpPort(int v) { this.otlpHttpPort = v; return this; }
    public Builder otlpGrpcPort(int v) { this.otlpGrpcPort = v; return this; }
    public Builder httpPort(int v) { this.httpPort = v; return this; }
    public Builder token(String v) { this.token = v; return this; }
    public Builder forwardTo(String v) { this.forwardTo = v; return this; }
    public Builder maxSeriesPerMetric(int v) { this.maxSeriesPerMetric = v; return this; }
    public Builder maxSpanBytes(long v) { this.maxSpanBytes = v; return this; }
    public Builder maxSpanAge(Duration v) { this.maxSpanAge = v; return this; }
    public Builder maxRequestBytes(int v) {
      this.maxRequestBytes = v;
      this.maxDecompressedBytes = Math.max(maxDecompressedBytes, v);
      return this;
    }
    public Builder maxDecompressedBytes(int v) { this.maxDecompressedBytes = v; return this; }
    public Builder maxInFlightIngest(int v) { this.maxInFlightIngest = v; return this; }
    public Builder rollupInterval(Duration v) { this.rollupInterval = v; return this; }
    public Builder maxPendingPoints(long v) { this.maxPendingPoints = v; return this; }
    public Builder alertRules(Path v) { this.alertRules = v; return this; }

    public CollectorConfig build() {
      CollectorConfig c = new CollectorConfig(this);
      if (!c.bindsLoopback() && c.token == null) {
        throw new IllegalArgumentException(
            "--bind " + bind + " is not a loopback address: a --token (or SKETCHTRACE_COLLECTOR_TOKEN) is required");
      }
      if (forwardTo != null && !(forwardTo.startsWith("http://") || forwardTo.startsWith("https://"))) {
        throw new IllegalArgumentException("--forward-to must be an http:// or https:// URL, got " + forwardTo);
      }
      if (maxSeriesPerMetric <= 0) throw new IllegalArgumentException("--max-series-per-metric must be positive");
      return c;
    }
  }
}
