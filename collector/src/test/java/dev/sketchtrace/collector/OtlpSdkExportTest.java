package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sketchtrace.collector.query.OperationStats;
import dev.sketchtrace.collector.query.SpanView;
import dev.sketchtrace.collector.query.TimeRange;
import dev.sketchtrace.collector.query.TimeSeries;
import dev.sketchtrace.collector.query.TraceQuery;
import dev.sketchtrace.collector.query.TraceSummary;
import dev.sketchtrace.sketch.QuantileSketch;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real, unmodified OpenTelemetry Java SDK exporters send to the collector: three senders (two
 * DELTA over OTLP/HTTP, one CUMULATIVE over OTLP/gRPC) record known latencies for one service;
 * the collector must answer the exact count and sum, and quantiles of the union within the
 * sketch's relative error — before and after the rollup into the tiers.
 */
class OtlpSdkExportTest {
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");

  @TempDir static Path dir;
  static InProcessCollector collector;

  @BeforeAll
  static void start() throws Exception {
    collector = new InProcessCollector(dir);
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  private static SdkMeterProvider sender(String host, MetricExporter exporter) {
    return SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout", AttributeKey.stringKey("host.name"), host)))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
        .build();
  }

  private static DefaultAggregationSelector exponential() {
    return DefaultAggregationSelector.getDefault().with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram());
  }

  @Test
  void threeSendersMergeExactly() throws Exception {
    MetricExporter a = OtlpHttpMetricExporter.builder().setEndpoint(collector.otlpHttp() + "/v1/metrics")
        .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
        .setDefaultAggregationSelector(exponential()).build();
    MetricExporter b = OtlpHttpMetricExporter.builder().setEndpoint(collector.otlpHttp() + "/v1/metrics")
        .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
        .setDefaultAggregationSelector(exponential()).setMemoryMode(MemoryMode.IMMUTABLE_DATA).build();
    MetricExporter c = OtlpGrpcMetricExporter.builder().setEndpoint(collector.otlpGrpc())
        .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
        .setDefaultAggregationSelector(exponential()).build();
    List<SdkMeterProvider> senders = List.of(sender("h1", a), sender("h2", b), sender("h3", c));
    Random random = new Random(42);
    List<Double> okValues = new ArrayList<>();
    long errors = 0;
    // Two export rounds: the cumulative sender's second point must count only what is new.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < senders.size(); i++) {
        DoubleHistogram h = senders.get(i).get("test").histogramBuilder("http.server.request.duration").setUnit("s").build();
        for (int n = 0; n < 2_000; n++) {
          double v = Math.exp(random.nextGaussian() * 1.2 - 3.5) * (1 + i); // lognormal, ~30 ms median, per-host shift
          if (n % 50 == 0) {
            h.record(v, Attributes.of(METHOD, "GET", ROUTE, "/cart", ERROR, "500"));
            errors++;
          } else {
            h.record(v, Attributes.of(METHOD, "GET", ROUTE, "/cart"));
          }
          okValues.add(v);
        }
        assertThat(senders.get(i).forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("export of sender %d", i).isTrue();
      }
    }
    Collections.sort(okValues);
    long now = System.currentTimeMillis() / 1000;
    TimeRange range = new TimeRange(now - 600, now + 60);
    assertMerged(collector.collector.query().operations("checkout", "http.server.request.duration", range), okValues, errors);
    collector.collector.rollupNow();
    assertMerged(collector.collector.query().operations("checkout", "http.server.request.duration", range), okValues, errors);

    TimeSeries rate = collector.collector.query().timeSeries("checkout", "http.server.request.duration", Map.of("http.route", "/cart"), "count", range, 60);
    assertThat(rate.points().stream().mapToDouble(p -> p.value()).sum()).isEqualTo(okValues.size());

    var http = collector.get("/api/v1/services/checkout/operations?from=now-10m");
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(http.body()).contains("\"operation\":\"GET /cart\"").contains("\"count\":" + okValues.size());
    for (SdkMeterProvider s : senders) s.close();
  }

  private static void assertMerged(List<OperationStats> ops, List<Double> sorted, long errors) {
    assertThat(ops).hasSize(1);
    OperationStats op = ops.get(0);
    assertThat(op.operation()).isEqualTo("GET /cart");
    assertThat(op.count()).isEqualTo(sorted.size());
    assertThat(op.errors()).isEqualTo(errors);
    assertThat(op.sum()).isCloseTo(sorted.stream().mapToDouble(Double::doubleValue).sum(), within(1e-6));
    // The SDK's 160 buckets cover these values at scale >= 3, whose relative error is 4.3 %.
    double alpha = QuantileSketch.relativeError(3);
    // A delta computed from cumulative points has no exact max: it is its bucket's upper bound.
    double trueMax = sorted.get(sorted.size() - 1);
    assertThat(op.max()).isBetween(trueMax, trueMax * (1 + alpha) / (1 - alpha));
    for (double[] q : new double[][] {{0.5, op.p50()}, {0.9, op.p90()}, {0.99, op.p99()}}) {
      double truth = sorted.get((int) Math.floor(q[0] * (sorted.size() - 1)));
      assertThat(q[1]).as("p%s", q[0] * 100).isCloseTo(truth, within(truth * alpha));
    }
  }

  @Test
  void defaultExplicitBucketHistogramsAreKeptAndSummarized() throws Exception {
    MetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(collector.otlpHttp() + "/v1/metrics")
        .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build();
    SdkMeterProvider sdk = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "vanilla")))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
        .build();
    // The SDK's default aggregation: explicit buckets with bounds 0, 5, 10, 25, 50, 75, 100, ...
    DoubleHistogram h = sdk.get("test").histogramBuilder("http.server.request.duration").setUnit("ms").build();
    double sum = 0;
    for (int i = 1; i <= 1_000; i++) {
      double v = i % 100; // 0..99, uniform
      h.record(v, Attributes.of(ROUTE, "/plain"));
      sum += v;
    }
    assertThat(sdk.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    long now = System.currentTimeMillis() / 1000;
    List<OperationStats> ops = collector.collector.query().operations("vanilla", null, new TimeRange(now - 600, now + 60));
    assertThat(ops).hasSize(1);
    OperationStats op = ops.get(0);
    assertThat(op.quantiles()).isEqualTo("explicit_buckets");
    assertThat(op.count()).isEqualTo(1_000);
    assertThat(op.sum()).isCloseTo(sum, within(1e-9));
    assertThat(op.max()).isEqualTo(99.0);
    assertThat(op.p50()).isBetween(25.0, 50.0); // the true median (rank 499: 49) lies in the bucket (25, 50]
    assertThat(op.p99()).isBetween(75.0, 100.0);
    sdk.close();
  }

  @Test
  void sdkSpansAreStoredAndFoundAsTraces() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(collector.otlpHttp() + "/v1/traces").build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.get("test");
    Span root = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER).setAttribute(ROUTE, "/orders/{id}").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span child = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
      child.end();
    }
    root.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
    root.end();
    assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    String traceId = root.getSpanContext().getTraceId();

    long now = System.currentTimeMillis() / 1000;
    List<TraceSummary> found = collector.collector.query().traces(
        new TraceQuery(new TimeRange(now - 60, now + 60), "shop", "/orders/{id}", 0, true, 10));
    assertThat(found).extracting(TraceSummary::traceId).containsExactly(traceId);
    List<SpanView> spans = collector.collector.query().trace(java.util.HexFormat.of().parseHex(traceId)).orElseThrow();
    assertThat(spans).extracting(SpanView::name).containsExactlyInAnyOrder("GET /orders/{id}", "SELECT orders");
    assertThat(spans).filteredOn(s -> s.name().equals("SELECT orders")).extracting(SpanView::parentSpanId)
        .containsExactly(root.getSpanContext().getSpanId());
    var http = collector.get("/api/v1/traces/" + traceId);
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(http.body()).contains("\"service\":\"shop\"", "SELECT orders");
    assertThat(collector.get("/api/v1/traces/" + "0".repeat(31) + "1").statusCode()).isEqualTo(404);
    provider.close();
  }
}
