package dev.sketchtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sketchtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The converter decodes spans in place, walking the request envelope itself: it must accept and
 * reject exactly what the official whole-request parser does, and store each span as bytes that
 * decode to the same span.
 */
class SpanConverterTest {
  private static KeyValue attr(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static Span.Builder span(int i) {
    byte[] trace = new byte[16];
    trace[0] = 1;
    trace[15] = (byte) i;
    return Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 1, (byte) (i + 1)}))
        .setName("GET /owners/" + i).setStartTimeUnixNano(1_000_000L + i).setEndTimeUnixNano(2_000_000L + i)
        .addAttributes(attr("http.route", str("/owners/{id}")))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1_500_000L));
  }

  /** Two resources (one without service.name), scopes with and without scope and schema URL, unknown fields. */
  private static ExportTraceServiceRequest request() {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attr("service.name", str("checkout"))).addAttributes(attr("host", str("a"))))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
            .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet"))
                .addSpans(span(1)).addSpans(span(2).setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))))
            .addScopeSpans(ScopeSpans.newBuilder().setSchemaUrl("x").addSpans(span(3).setParentSpanId(ByteString.copyFrom(new byte[8])))))
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(span(4).clearAttributes().addAttributes(attr("db.query.summary", str("SELECT owners"))))))
        .build();
  }

  private static List<Span> officialSpans(ExportTraceServiceRequest r) {
    List<Span> out = new ArrayList<>();
    r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  private static List<Span> storedSpans(List<SpanStore.NewSpan> spans) throws InvalidProtocolBufferException {
    List<Span> out = new ArrayList<>();
    for (SpanStore.NewSpan s : spans) out.add(Span.parseFrom(Arrays.copyOfRange(s.source(), s.offset(), s.offset() + s.length())));
    return out;
  }

  @Test
  void everySpanIsSummarizedAndStoredAsTheBytesItHadInTheRequest() throws Exception {
    ExportTraceServiceRequest r = request();
    List<SpanStore.NewSpan> spans = SpanConverter.convert(r.toByteArray());
    assertThat(storedSpans(spans)).isEqualTo(officialSpans(r));
    assertThat(spans).extracting(s -> s.summary().service()).containsExactly("checkout", "checkout", "checkout", Attributes.UNKNOWN_SERVICE);
    assertThat(spans).extracting(s -> s.summary().route()).containsExactly("/owners/{id}", "/owners/{id}", "/owners/{id}", "SELECT owners");
    assertThat(spans).extracting(s -> s.summary().error()).containsExactly(false, true, false, false);
    assertThat(spans).extracting(s -> s.summary().root()).containsExactly(true, true, false, true);
    assertThat(spans.get(0).summary().name()).isEqualTo("GET /owners/1");
    assertThat(spans.get(0).summary().durationNanos()).isEqualTo(1_000_000L);
  }

  @Test
  void fieldsInAnyOrderRepeatedResourcesAndUnknownFieldsAreReadAsTheOfficialParserReadsThem() throws Exception {
    byte[] scopes = ScopeSpans.newBuilder().addSpans(span(7)).build().toByteArray();
    byte[] resource = Resource.newBuilder().addAttributes(attr("service.name", str("late"))).build().toByteArray();
    // ResourceSpans with scope_spans (2) before resource (1), an unknown varint field 9, and a second
    // resource occurrence that the parser merges into the first
    byte[] resourceSpans = concat(field(2, scopes), new byte[] {(byte) (9 << 3), 42}, field(1, resource),
        field(1, Resource.newBuilder().addAttributes(attr("host", str("b"))).build().toByteArray()));
    byte[] body = concat(field(1, resourceSpans), field(15, new byte[] {1, 2, 3}));
    ExportTraceServiceRequest official = ExportTraceServiceRequest.parseFrom(body);
    List<SpanStore.NewSpan> spans = SpanConverter.convert(body);
    assertThat(storedSpans(spans)).isEqualTo(officialSpans(official));
    assertThat(spans.get(0).summary().service()).isEqualTo(Attributes.serviceName(official.getResourceSpans(0).getResource().getAttributesList())).isEqualTo("late");
  }

  @Test
  void aBodyIsRejectedExactlyWhenTheOfficialParserRejectsIt() throws Exception {
    byte[] good = request().toByteArray();
    Random random = new Random(11);
    int checked = 0;
    for (int round = 0; round < 4000; round++) {
      byte[] body;
      if (round < good.length) {
        body = Arrays.copyOf(good, round); // every truncation
      } else {
        body = good.clone();
        for (int k = 0; k < 1 + random.nextInt(3); k++) body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      ExportTraceServiceRequest official;
      try {
        official = ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        // (the message may name an earlier span's wrong id instead: spans are checked as they are read)
        assertThatThrownBy(() -> SpanConverter.convert(body)).as("round %d", round).isInstanceOf(InvalidDataException.class);
        checked++;
        continue;
      }
      List<SpanStore.NewSpan> spans;
      try {
        spans = SpanConverter.convert(body);
      } catch (InvalidDataException e) {
        // a valid protobuf message whose ids or times are wrong: refused by the span checks, not the parser
        assertThat(e.getMessage()).as("round %d", round).doesNotContain("protobuf");
        continue;
      }
      assertThat(storedSpans(spans)).as("round %d", round).isEqualTo(officialSpans(official));
    }
    assertThat(checked).isGreaterThan(good.length / 2);
  }

  @Test
  void attributeValuesNestedDeeperThanTheParserAllowsAreRefusedAsByTheOfficialParser() throws Exception {
    int refusedFrom = -1;
    for (int depth = 30; depth < 60; depth++) {
      AnyValue v = str("leaf");
      for (int d = 0; d < depth; d++) v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
      byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1).addAttributes(attr("deep", v))))).build().toByteArray();
      boolean officialRefuses;
      try {
        ExportTraceServiceRequest.parseFrom(body);
        officialRefuses = false;
      } catch (InvalidProtocolBufferException e) {
        officialRefuses = true;
      }
      boolean refused;
      try {
        SpanConverter.convert(body);
        refused = false;
      } catch (InvalidDataException e) {
        refused = true;
      }
      assertThat(refused).as("depth %d", depth).isEqualTo(officialRefuses);
      if (refused && refusedFrom < 0) refusedFrom = depth;
    }
    assertThat(refusedFrom).as("some depth in the range is refused").isPositive();
  }

  @Test
  void wrongIdsAndTimesAreRefused() {
    for (Span.Builder bad : List.of(span(1).setTraceId(ByteString.copyFrom(new byte[15])), span(1).setTraceId(ByteString.copyFrom(new byte[16])),
        span(1).setSpanId(ByteString.copyFrom(new byte[9])), span(1).setParentSpanId(ByteString.copyFrom(new byte[3])),
        span(1).setStartTimeUnixNano(0), span(1).setEndTimeUnixNano(1))) {
      byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(2)).addSpans(bad))).build().toByteArray();
      assertThatThrownBy(() -> SpanConverter.convert(body)).isInstanceOf(InvalidDataException.class);
    }
  }

  private static byte[] field(int number, byte[] message) {
    byte[] out = new byte[message.length + 6];
    int n = 0;
    out[n++] = (byte) (number << 3 | 2);
    int len = message.length;
    while (len >= 0x80) {
      out[n++] = (byte) (len | 0x80);
      len >>>= 7;
    }
    out[n++] = (byte) len;
    System.arraycopy(message, 0, out, n, message.length);
    return Arrays.copyOf(out, n + message.length);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
