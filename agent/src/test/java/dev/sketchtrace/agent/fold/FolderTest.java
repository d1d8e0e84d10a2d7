package dev.sketchtrace.agent.fold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.agent.export.ExportBatch;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The folder in-process: events offered to the real queue, folded, sampled and batched. */
class FolderTest {
  private final List<ExportBatch> batches = new ArrayList<>();
  private final List<SpanMapper<?>> mappers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    EventQueue.install(1 << 16);
    HeadSampler.configure(1.0, true);
    mappers.add(new CustomSpanMapper());
  }

  @AfterEach
  void tearDown() {
    HeadSampler.configure(1.0, true);
  }

  private Folder folder(int topK, int maxSeries) {
    return new Folder(
        new FoldSettings(Duration.ofHours(1), false, maxSeries, 100, topK, 1000, 10_000, true),
        mappers, new EpochClock(), Resource.empty(), InstrumentationScopeInfo.create("test"),
        new AgentCounters(), batches::add);
  }

  private static CustomSpan span(String name, SpanEvent parent) {
    return new CustomSpan(parent, name, SpanKind.INTERNAL);
  }

  private static List<ExponentialHistogramPointData> points(ExportBatch batch, String metric) {
    return batchMetrics(batch).stream().filter(m -> m.getName().equals(metric))
        .flatMap(m -> m.getExponentialHistogramData().getPoints().stream())
        .collect(Collectors.toList());
  }

  private static List<MetricData> batchMetrics(ExportBatch batch) {
    return new ExportBatchView(batch).metrics();
  }

  @Test
  void everyEventIsFoldedIntoItsSeriesWithErrorsApart() {
    Folder folder = folder(50, 100);
    for (int i = 0; i < 100; i++) {
      span("a", null).end();
    }
    for (int i = 0; i < 3; i++) {
      CustomSpan failed = span("a", null);
      failed.recordException(new IllegalStateException());
      failed.end();
    }
    span("b", null).end();
    folder.flush();

    List<ExponentialHistogramPointData> points = points(batches.get(0), CustomSpanMapper.METRIC);
    assertThat(points).hasSize(3);
    long ok = count(points, "a", null);
    long errors = count(points, "a", "java.lang.IllegalStateException");
    assertThat(ok).isEqualTo(100);
    assertThat(errors).isEqualTo(3);
    assertThat(count(points, "b", null)).isEqualTo(1);
    assertThat(points).allSatisfy(p -> assertThat(p.getSum()).isGreaterThanOrEqualTo(0));
  }

  @Test
  void deltaWindowsStartEmpty() {
    Folder folder = folder(50, 100);
    span("a", null).end();
    folder.flush();
    folder.flush();
    assertThat(points(batches.get(0), CustomSpanMapper.METRIC)).hasSize(1);
    assertThat(points(batches.get(1), CustomSpanMapper.METRIC)).isEmpty();
  }

  @Test
  void seriesPastTheLimitFoldIntoTheOverflowSeries() {
    Folder folder = folder(50, 2);
    for (int i = 0; i < 5; i++) {
      span("name-" + i, null).end();
    }
    folder.flush();
    List<ExponentialHistogramPointData> points = points(batches.get(0), CustomSpanMapper.METRIC);
    assertThat(points).hasSize(3);
    assertThat(points.stream().mapToLong(ExponentialHistogramPointData::getCount).sum()).isEqualTo(5);
    assertThat(points).anySatisfy(p -> assertThat(
        p.getAttributes().get(AttributeKey.booleanKey("otel.metric.overflow"))).isTrue());
  }

  @Test
  void unsampledTracesAreDroppedWholeButErrorTracesAreKeptWhole() {
    HeadSampler.configure(0.0, false);
    Folder folder = folder(50, 100);
    CustomSpan quietRoot = span("quiet", null);
    span("quiet-child", quietRoot).end();
    quietRoot.end();
    CustomSpan failingRoot = span("failing", null);
    CustomSpan failingChild = span("failing-child", failingRoot);
    failingChild.setErrorType("timeout");
    failingChild.end();
    failingRoot.end();
    CustomSpan lateChild = span("late-child", failingRoot);
    lateChild.end();
    folder.flush();

    List<Span> spans = new ExportBatchView(batches.get(0)).spans();
    assertThat(spans).extracting(Span::getName)
        .containsExactlyInAnyOrder("failing-child", "failing", "late-child");
    Span child = spans.stream().filter(s -> s.getName().equals("failing-child")).findFirst().get();
    assertThat(child.getParentSpanId()).isEqualTo(
        spans.stream().filter(s -> s.getName().equals("failing")).findFirst().get().getSpanId());
    assertThat(child.getAttributesList()).anySatisfy(a -> {
      assertThat(a.getKey()).isEqualTo("error.type");
      assertThat(a.getValue().getStringValue()).isEqualTo("timeout");
    });
    // Metrics still count every event, sampled or not.
    assertThat(points(batches.get(0), CustomSpanMapper.METRIC).stream()
        .mapToLong(ExponentialHistogramPointData::getCount).sum()).isEqualTo(5);
  }

  @Test
  void aThrowingMapperLosesOnlyItsEventAndIsCounted() {
    mappers.clear();
    mappers.add(new ThrowingMapper());
    Folder folder = folder(50, 100);
    span("x", null).end();
    folder.flush();
    assertThat(batchMetrics(batches.get(0)).stream()
        .filter(m -> m.getName().equals("sketchtrace.agent.mapper.errors"))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .mapToLong(p -> p.getValue()).sum()).isEqualTo(1);
  }

  @Test
  void rankedSeriesOutsideTheTopKFoldIntoOther() {
    mappers.clear();
    mappers.add(new RankedMapper());
    Folder folder = folder(2, 100);
    for (int key = 0; key < 6; key++) {
      // key 0 most frequent ... key 5 least
      for (int i = 0; i < (6 - key) * 10; i++) {
        span("k" + key, null).end();
      }
    }
    folder.flush();
    List<ExponentialHistogramPointData> points = points(batches.get(0), "ranked.duration");
    long total = points.stream().mapToLong(ExponentialHistogramPointData::getCount).sum();
    assertThat(total).isEqualTo(210);
    assertThat(points).anySatisfy(p -> assertThat(
        p.getAttributes().get(AttributeKey.booleanKey("sketchtrace.series.other"))).isTrue());
    assertThat(points).anySatisfy(p -> assertThat(
        p.getAttributes().get(AttributeKey.stringKey("key"))).isEqualTo("k0"));
    assertThat(points.size()).isLessThan(6);
    assertThat(new ExportBatchView(batches.get(0)).sketchKinds())
        .containsExactly("topk_time", "topk_calls", "hll");
  }

  private static long count(List<ExponentialHistogramPointData> points, String name, String errorType) {
    return points.stream()
        .filter(p -> name.equals(p.getAttributes().get(AttributeKey.stringKey("span.name"))))
        .filter(p -> java.util.Objects.equals(errorType,
            p.getAttributes().get(AttributeKey.stringKey("error.type"))))
        .mapToLong(ExponentialHistogramPointData::getCount).sum();
  }

  private static final class ThrowingMapper extends ForwardingMapper {
    @Override
    public String metricName(CustomSpan event) {
      throw new IllegalStateException("broken mapper");
    }
  }

  private static final class RankedMapper extends ForwardingMapper {
    @Override
    public String metricName(CustomSpan event) {
      return "ranked.duration";
    }

    @Override
    public void seriesAttributes(CustomSpan event, AttributeSink series) {
      series.put("key", event.name());
    }

    @Override
    public String rankingKey(CustomSpan event) {
      return event.name();
    }
  }

  private abstract static class ForwardingMapper implements SpanMapper<CustomSpan> {
    private final CustomSpanMapper delegate = new CustomSpanMapper();

    @Override
    public Class<CustomSpan> eventType() {
      return CustomSpan.class;
    }

    @Override
    public String metricName(CustomSpan event) {
      return delegate.metricName(event);
    }

    @Override
    public void seriesAttributes(CustomSpan event, AttributeSink series) {
      delegate.seriesAttributes(event, series);
    }

    @Override
    public String errorType(CustomSpan event) {
      return delegate.errorType(event);
    }

    @Override
    public String spanName(CustomSpan event) {
      return delegate.spanName(event);
    }

    @Override
    public void spanAttributes(CustomSpan event, AttributeSink span) {
      delegate.spanAttributes(event, span);
    }
  }
}
