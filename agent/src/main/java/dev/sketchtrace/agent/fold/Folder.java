package dev.sketchtrace.agent.fold;

import dev.sketchtrace.agent.AgentLog;
import dev.sketchtrace.agent.export.AgentMetricData;
import dev.sketchtrace.agent.export.ExportBatch;
import dev.sketchtrace.agent.export.OtelAttributes;
import dev.sketchtrace.agent.export.SpanEncoder;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import dev.sketchtrace.sketch.QuantileSketch;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.jctools.queues.MessagePassingQueue;

/**
 * The folder: the one thread that drains {@link EventQueue}, asks each event's {@link SpanMapper}
 * what it means, folds its duration into the series' sketch, ranks it, hands it to the trace
 * sampler, and at every export interval turns the window into an {@link ExportBatch}.
 *
 * <p>An Agrona {@link Agent}: every method is called by the folder thread only (the {@code
 * AgentRunner}'s), so nothing here is synchronized. The per-event path allocates nothing for an
 * existing series: the series key is a reused probe, the drain handler a stored method reference.
 * A mapper that throws loses that event, which is counted.
 */
public final class Folder implements Agent {
  static final int DRAIN_LIMIT = 4096;

  private final FoldSettings settings;
  private final Map<Class<?>, SpanMapper<SpanEvent>> mappers = new IdentityHashMap<>();
  private final Map<String, MetricFold> metrics = new HashMap<>();
  private final SeriesKey probe = new SeriesKey();
  private final TraceKeeper traces;
  private final EpochClock clock;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  /** The window's kept spans, encoded as they are kept. */
  private final SpanEncoder spanEncoder;
  private final Consumer<ExportBatch> sink;
  private final AgentCounters counters;
  private final MessagePassingQueue.Consumer<SpanEvent> onEvent = this::onEvent;
  private final long intervalNanos;

  private long nextExportNanoTime;
  private long windowStartEpochNanos;
  private final long startEpochNanos;
  private boolean sampleLag;
  private long maxLagNanos;

  // Running totals (since start) of the agent's own counters, and what the last export reported.
  private long folded;
  private long mapperErrors;
  private long unmapped;
  private long spansDropped;
  private long droppedMetrics;

  public Folder(
      FoldSettings settings,
      List<SpanMapper<?>> spanMappers,
      EpochClock clock,
      Resource resource,
      InstrumentationScopeInfo scope,
      AgentCounters counters,
      Consumer<ExportBatch> sink) {
    this.settings = settings;
    for (SpanMapper<?> mapper : spanMappers) {
      @SuppressWarnings("unchecked")
      SpanMapper<SpanEvent> m = (SpanMapper<SpanEvent>) mapper;
      mappers.put(mapper.eventType(), m);
    }
    this.clock = clock;
    this.resource = resource;
    this.scope = scope;
    this.spanEncoder = new SpanEncoder(resource, scope, clock);
    this.counters = counters;
    this.sink = sink;
    this.traces = new TraceKeeper(settings.maxBufferedSpans, this::keep);
    this.intervalNanos = settings.exportInterval.toNanos();
    this.nextExportNanoTime = System.nanoTime() + intervalNanos;
    this.startEpochNanos = clock.nowEpochNanos();
    this.windowStartEpochNanos = startEpochNanos;
  }

  @Override
  public String roleName() {
    return "sketchtrace-folder";
  }

  @Override
  public int doWork() {
    sampleLag = true;
    int work = EventQueue.drain(onEvent, DRAIN_LIMIT);
    long now = System.nanoTime();
    if (now - nextExportNanoTime >= 0) {
      nextExportNanoTime = now + intervalNanos;
      exportWindow();
      work++;
    }
    return work;
  }

  /** Drains what is left and exports a last window; runs on the folder thread as it stops. */
  @Override
  public void onClose() {
    flush();
  }

  /** Folds everything queued now and exports the window at once (tests, shutdown). */
  public void flush() {
    int n;
    do {
      sampleLag = true;
      n = EventQueue.drain(onEvent, DRAIN_LIMIT);
    } while (n > 0);
    exportWindow();
  }

  /**
   * Folds one ended event, as {@link #doWork} does for each drained event. Folder thread only;
   * public for the throughput benchmark, which drives the folder without a queue.
   */
  public void onEvent(SpanEvent event) {
    if (sampleLag) {
      sampleLag = false;
      long lag = System.nanoTime() - event.endNanoTime();
      if (lag > maxLagNanos) {
        maxLagNanos = lag;
      }
    }
    SpanMapper<SpanEvent> mapper = mappers.get(event.getClass());
    if (mapper == null) {
      unmapped++;
      AgentLog.once("unmapped:" + event.getClass().getName(),
          "no span mapper for " + event.getClass().getName() + "; its events are dropped");
      return;
    }
    try {
      fold(event, mapper);
      folded++;
    } catch (Throwable t) {
      mapperErrors++;
      AgentLog.once("mapper:" + mapper.getClass().getName(),
          "span mapper " + mapper.getClass().getName() + " failed; event dropped: " + t);
    }
  }

  private void fold(SpanEvent event, SpanMapper<SpanEvent> mapper) {
    String metric = mapper.metricName(event);
    MetricFold fold = metrics.get(metric);
    if (fold == null) {
      if (metrics.size() >= settings.maxMetrics) {
        droppedMetrics++;
        return;
      }
      fold = new MetricFold(metric, settings.maxSeriesPerMetric, settings.topK);
      metrics.put(metric, fold);
    }
    probe.reset();
    mapper.seriesAttributes(event, probe);
    String errorType = mapper.errorType(event);
    if (errorType != null) {
      probe.put("error.type", errorType);
    }
    String rankingKey = mapper.rankingKey(event);
    Series series = fold.series(probe, rankingKey, windowStartEpochNanos);
    long nanos = event.durationNanos();
    double seconds = nanos / 1e9;
    boolean slow = series.isSlow(seconds);
    series.record(seconds, errorType != null);
    if (rankingKey != null) {
      fold.rank(series, rankingKey, nanos);
    }
    if (settings.tracesEnabled) {
      traces.onSpan(event, errorType != null, slow);
    }
  }

  /** Called by the trace keeper for every span it keeps; only kept spans get names and attributes. */
  private void keep(SpanEvent span) {
    if (spanEncoder.count() >= settings.maxSpansPerBatch) {
      spansDropped++;
      return;
    }
    SpanMapper<SpanEvent> mapper = mappers.get(span.getClass());
    if (mapper == null) {
      return;
    }
    try {
      spanEncoder.encode(span, mapper, mapper.errorType(span));
    } catch (Throwable t) {
      mapperErrors++;
      AgentLog.once("spanmapper:" + mapper.getClass().getName(),
          "span mapper " + mapper.getClass().getName() + " failed on a kept span: " + t);
    }
  }

  private void exportWindow() {
    long now = clock.nowEpochNanos();
    List<MetricData> out = new ArrayList<>();
    List<ExportBatch.SketchEntry> sketches = new ArrayList<>();
    AggregationTemporality temporality =
        settings.cumulative ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA;
    for (MetricFold fold : metrics.values()) {
      List<ExponentialHistogramPointData> points = new ArrayList<>();
      for (Series s : fold.seriesToExport()) {
        points.add(point(s, now));
      }
      if (!points.isEmpty()) {
        out.add(
            new AgentMetricData(
                resource,
                scope,
                fold.name,
                "Duration of " + fold.name.replace(".duration", "").replace('.', ' '),
                "s",
                MetricDataType.EXPONENTIAL_HISTOGRAM,
                ExponentialHistogramData.create(temporality, points)));
      }
      if (fold.isRanked()) {
        Map<String, String> none = Collections.emptyMap();
        sketches.add(new ExportBatch.SketchEntry(fold.name, "topk_time", none, fold.byTime().toBytes()));
        sketches.add(new ExportBatch.SketchEntry(fold.name, "topk_calls", none, fold.byCalls().toBytes()));
        sketches.add(new ExportBatch.SketchEntry(fold.name, "hll", none, fold.distinctKeys().toBytes()));
      }
      if (!settings.cumulative) {
        fold.resetWindow(now);
      }
    }
    selfMetrics(out, now);
    traces.closeWindow();
    ExportBatch batch =
        new ExportBatch(out, spanEncoder.drain(), sketches, windowStartEpochNanos, now);
    windowStartEpochNanos = now;
    sink.accept(batch);
  }

  private ExponentialHistogramPointData point(Series s, long now) {
    QuantileSketch sketch = s.sketch;
    if (s.attributes == null) {
      s.attributes = attributes(s.key);
    }
    long start = settings.cumulative ? Math.min(s.startEpochNanos, now) : s.startEpochNanos;
    return ExponentialHistogramPointData.create(
        sketch.scale(),
        sketch.sum(),
        sketch.zeroCount(),
        true,
        sketch.min(),
        true,
        sketch.max(),
        ExponentialHistogramBuckets.create(
            sketch.scale(), sketch.positiveOffset(), boxed(sketch.positiveCounts())),
        ExponentialHistogramBuckets.create(
            sketch.scale(), sketch.negativeOffset(), boxed(sketch.negativeCounts())),
        start,
        now,
        s.attributes,
        Collections.emptyList());
  }

  private static List<Long> boxed(long[] counts) {
    List<Long> list = new ArrayList<>(counts.length);
    for (long c : counts) {
      list.add(c);
    }
    return list;
  }

  static Attributes attributes(SeriesKey key) {
    OtelAttributes a = new OtelAttributes();
    for (int i = 0; i < key.size(); i++) {
      switch (key.type(i)) {
        case SeriesKey.STRING:
          a.put(key.key(i), key.stringValue(i));
          break;
        case SeriesKey.LONG:
          a.put(key.key(i), key.longValue(i));
          break;
        case SeriesKey.DOUBLE:
          a.put(key.key(i), key.doubleValue(i));
          break;
        default:
          a.put(key.key(i), key.booleanValue(i));
      }
    }
    return a.build();
  }

  private void selfMetrics(List<MetricData> out, long now) {
    counter(out, "sketchtrace.agent.queue.dropped", "{event}",
        "Events dropped because the event queue was full", EventQueue.droppedCount(), now);
    counter(out, "sketchtrace.agent.export.failures", "{request}",
        "Export requests that failed", counters.exportFailures.sum(), now);
    counter(out, "sketchtrace.agent.export.dropped_batches", "{batch}",
        "Export batches given up after retries or for lack of room", counters.exportDroppedBatches.sum(), now);
    counter(out, "sketchtrace.agent.events.folded", "{event}",
        "Events folded into metrics", folded, now);
    counter(out, "sketchtrace.agent.mapper.errors", "{event}",
        "Events dropped because their span mapper failed", mapperErrors + unmapped + droppedMetrics, now);
    counter(out, "sketchtrace.agent.spans.dropped", "{span}",
        "Spans of kept traces not exported for lack of room", spansDropped + traces.droppedSpans(), now);
    gauge(out, "sketchtrace.agent.queue.depth", "{event}", "Events waiting for the folder",
        EventQueue.depth(), now);
    out.add(
        new AgentMetricData(resource, scope, "sketchtrace.agent.fold.lag", "Longest time an event"
            + " waited in the queue before it was folded, this window", "s", MetricDataType.DOUBLE_GAUGE,
            GaugeData.createDoubleGaugeData(Collections.singletonList(
                DoublePointData.create(now, now, Attributes.empty(), maxLagNanos / 1e9,
                    Collections.emptyList())))));
    maxLagNanos = 0;
  }

  /**
   * The agent's own counters are always CUMULATIVE totals since start, whatever the temporality of
   * the folded metrics: a window whose batch is lost while the backend is down (exactly when these
   * counters matter) would otherwise take its increments with it.
   */
  private void counter(List<MetricData> out, String name, String unit, String description,
      long total, long now) {
    out.add(new AgentMetricData(resource, scope, name, description, unit, MetricDataType.LONG_SUM,
        SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, Collections.singletonList(
            LongPointData.create(startEpochNanos, now, Attributes.empty(), total)))));
  }

  private void gauge(List<MetricData> out, String name, String unit, String description,
      long value, long now) {
    out.add(new AgentMetricData(resource, scope, name, description, unit, MetricDataType.LONG_GAUGE,
        GaugeData.createLongGaugeData(Collections.singletonList(
            LongPointData.create(now, now, Attributes.empty(), value)))));
  }
}
