package dev.sketchtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sketchtrace.agent.fold.CustomSpanMapper;
import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the encoder writes, decoded with the official OTLP protobuf classes. */
class SpanEncoderTest {
  private static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put(AttributeKey.stringKey("service.name"), "checkout")
      .put(AttributeKey.longKey("process.pid"), 4242L)
      .put(AttributeKey.booleanKey("debug"), true)
      .put(AttributeKey.doubleKey("weight"), 0.5)
      .put(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
      .build());
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("dev.sketchtrace").setVersion("1.2.3").build();

  private final EpochClock clock = new EpochClock();
  private final SpanEncoder encoder = new SpanEncoder(RESOURCE, SCOPE, clock);
  private final CustomSpanMapper custom = new CustomSpanMapper();

  @BeforeEach
  void sampleEverything() {
    EventQueue.install(1024);
    HeadSampler.configure(1.0, true);
  }

  @AfterEach
  void drainQueue() {
    EventQueue.drain(e -> {}, Integer.MAX_VALUE);
  }

  @Test
  void aSpanDecodesToItsEventsIdsTimesNameKindAttributesAndFlags() throws Exception {
    HttpServerSpan server = new HttpServerSpan(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=abc,other=x");
    CustomSpan child = new CustomSpan(server, "lookup", SpanKind.CLIENT);
    child.setAttribute("db.system", "h2");
    child.end();
    server.end();
    encoder.encode(child, custom, null);
    encoder.encode(server, new TypedMapper(), null);
    assertThat(encoder.count()).isEqualTo(2);

    ExportTraceServiceRequest request = decode(encoder.drain());
    ResourceSpans resourceSpans = request.getResourceSpans(0);
    assertThat(attributes(resourceSpans.getResource().getAttributesList())).containsOnly(
        Map.entry("service.name", "checkout"), Map.entry("process.pid", 4242L),
        Map.entry("debug", true), Map.entry("weight", 0.5), Map.entry("tags", List.of("a", "b")));
    assertThat(resourceSpans.getScopeSpans(0).getScope().getName()).isEqualTo("dev.sketchtrace");
    assertThat(resourceSpans.getScopeSpans(0).getScope().getVersion()).isEqualTo("1.2.3");
    List<Span> spans = resourceSpans.getScopeSpans(0).getSpansList();
    assertThat(spans).hasSize(2);

    Span c = spans.get(0);
    assertThat(hex(c.getTraceId().toByteArray())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(c.getSpanId().toByteArray()).isEqualTo(bytes(child.spanId()));
    assertThat(c.getParentSpanId().toByteArray()).isEqualTo(bytes(server.spanId()));
    assertThat(c.getName()).isEqualTo("lookup");
    assertThat(c.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(c.getStartTimeUnixNano()).isEqualTo(clock.toEpochNanos(child.startNanoTime()));
    assertThat(c.getEndTimeUnixNano()).isEqualTo(clock.toEpochNanos(child.endNanoTime()));
    assertThat(attributes(c.getAttributesList())).containsExactly(Map.entry("db.system", "h2"));
    assertThat(c.getTraceState()).isEqualTo("vendor=abc,other=x");
    assertThat(c.getFlags()).isEqualTo(0x101); // sampled; parent known to be local
    assertThat(c.hasStatus()).isFalse();
    assertThat(c.getEventsList()).isEmpty();

    Span s = spans.get(1);
    assertThat(hex(s.getParentSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
    assertThat(s.getName()).isEqualTo("typed");
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(s.getFlags()).isEqualTo(0x301); // sampled; parent remote
    assertThat(attributes(s.getAttributesList())).containsExactly(
        Map.entry("count", -7L), Map.entry("big", Long.MAX_VALUE), Map.entry("ratio", 2.25),
        Map.entry("ok", false), Map.entry("text", "t"), Map.entry("empty", ""));
  }

  @Test
  void anErrorGetsItsTypeAsAttributeAndStatusAndAnExceptionEvent() throws Exception {
    CustomSpan span = new CustomSpan(null, "fails", SpanKind.INTERNAL);
    IllegalStateException thrown = new IllegalStateException("no stock for 42");
    span.recordException(thrown);
    span.end();
    encoder.encode(span, custom, custom.errorType(span));

    Span s = decode(encoder.drain()).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attributes(s.getAttributesList()))
        .containsExactly(Map.entry("error.type", IllegalStateException.class.getName()));
    assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(s.getStatus().getMessage()).isEqualTo(IllegalStateException.class.getName());
    assertThat(s.getEventsCount()).isEqualTo(1);
    var event = s.getEvents(0);
    assertThat(event.getName()).isEqualTo("exception");
    assertThat(event.getTimeUnixNano()).isEqualTo(s.getEndTimeUnixNano());
    Map<String, Object> a = attributes(event.getAttributesList());
    assertThat(a.get("exception.type")).isEqualTo(IllegalStateException.class.getName());
    assertThat(a.get("exception.message")).isEqualTo("no stock for 42");
    assertThat((String) a.get("exception.stacktrace"))
        .startsWith("java.lang.IllegalStateException: no stock for 42")
        .contains("SpanEncoderTest");
  }

  @Test
  void longAndNonAsciiTextSurvivesWhateverLengthItsPrefixNeeds() throws Exception {
    String[] values = {
      "x".repeat(127), "y".repeat(128), "z".repeat(20_000), "héllo wörld €", "emoji \uD83D\uDE80 ok",
      "unpaired \uD800 surrogate", "ü".repeat(100)
    };
    CustomSpan span = new CustomSpan(null, "n".repeat(300), SpanKind.INTERNAL);
    for (int i = 0; i < values.length; i++) {
      span.setAttribute("k" + i, values[i]);
    }
    span.end();
    encoder.encode(span, custom, null);
    Span s = decode(encoder.drain()).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getName()).isEqualTo("n".repeat(300));
    for (int i = 0; i < values.length; i++) {
      String expected = new String(values[i].getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertThat(s.getAttributes(i).getValue().getStringValue()).isEqualTo(expected);
    }
  }

  @Test
  void aMapperThatFailsHalfWayLeavesNoTraceOfItsSpan() throws Exception {
    CustomSpan before = ended("before");
    CustomSpan broken = ended("broken");
    CustomSpan after = ended("after");
    encoder.encode(before, custom, null);
    assertThatThrownBy(() -> encoder.encode(broken, new FailingMapper(), "boom"))
        .isInstanceOf(IllegalStateException.class);
    encoder.encode(after, custom, null);
    assertThat(encoder.count()).isEqualTo(2);
    List<Span> spans = decode(encoder.drain()).getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(spans).extracting(Span::getName).containsExactly("before", "after");
    assertThat(spans.get(1).getAttributesList()).isEmpty();
  }

  @Test
  void drainStartsTheNextWindowEmpty() throws Exception {
    assertThat(encoder.drain().isEmpty()).isTrue();
    encoder.encode(ended("first"), custom, null);
    assertThat(decode(encoder.drain()).getResourceSpans(0).getScopeSpans(0).getSpansCount())
        .isEqualTo(1);
    assertThat(encoder.count()).isZero();
    encoder.encode(ended("second"), custom, null);
    EncodedSpans next = encoder.drain();
    assertThat(next.count()).isEqualTo(1);
    assertThat(decode(next).getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("second");
  }

  @Test
  void traceStateIsExportedAsReceivedOrCleanedOfMalformedMembers() {
    assertThat(SpanEncoder.cleanTraceState(null)).isNull();
    String clean = "a=1,b=2";
    assertThat(SpanEncoder.cleanTraceState(clean)).isSameAs(clean);
    assertThat(SpanEncoder.cleanTraceState(" a=1 , junk,=x, b=2")).isEqualTo("a=1,b=2");
    assertThat(SpanEncoder.cleanTraceState("junk")).isNull();
  }

  private static CustomSpan ended(String name) {
    CustomSpan span = new CustomSpan(null, name, SpanKind.INTERNAL);
    span.end();
    return span;
  }

  private static ExportTraceServiceRequest decode(EncodedSpans spans) throws Exception {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(spans.request());
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(spans.count());
    return request;
  }

  private static Map<String, Object> attributes(List<KeyValue> list) {
    return list.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> value(kv.getValue()),
        (a, b) -> { throw new AssertionError("duplicate key"); }, java.util.LinkedHashMap::new));
  }

  private static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().map(SpanEncoderTest::value)
            .collect(Collectors.toList());
      default:
        throw new AssertionError("unexpected value " + v);
    }
  }

  private static byte[] bytes(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b));
    }
    return s.toString();
  }

  /** Every attribute type, including null keys and values, which are skipped. */
  private static final class TypedMapper extends BaseMapper<HttpServerSpan> {
    TypedMapper() {
      super(HttpServerSpan.class);
    }

    @Override
    public String spanName(HttpServerSpan event) {
      return "typed";
    }

    @Override
    public void spanAttributes(HttpServerSpan event, AttributeSink span) {
      span.put("count", -7L);
      span.put("big", Long.MAX_VALUE);
      span.put("ratio", 2.25);
      span.put("ok", false);
      span.put("text", "t");
      span.put("empty", "");
      span.put("absent", (String) null);
      span.put(null, "no key");
    }
  }

  /** Writes one attribute, then throws. */
  private static final class FailingMapper extends BaseMapper<CustomSpan> {
    FailingMapper() {
      super(CustomSpan.class);
    }

    @Override
    public String spanName(CustomSpan event) {
      return event.name();
    }

    @Override
    public void spanAttributes(CustomSpan event, AttributeSink span) {
      span.put("written", "before the failure");
      throw new IllegalStateException("mapper bug");
    }
  }

  private abstract static class BaseMapper<E extends SpanEvent> implements SpanMapper<E> {
    private final Class<E> type;

    BaseMapper(Class<E> type) {
      this.type = type;
    }

    @Override
    public Class<E> eventType() {
      return type;
    }

    @Override
    public String metricName(E event) {
      return "test.duration";
    }

    @Override
    public void seriesAttributes(E event, AttributeSink series) {}

    @Override
    public String errorType(E event) {
      return null;
    }
  }
}
