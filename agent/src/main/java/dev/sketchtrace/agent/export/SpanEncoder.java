package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.AttributeSink;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Encodes kept span events straight into OTLP protobuf ({@code opentelemetry/proto/trace/v1}), one
 * export window at a time: {@link #encode} appends one {@code Span} as the mapper names and
 * describes it, {@link #drain} wraps the window's spans in an {@code ExportTraceServiceRequest}
 * with this JVM's resource and scope (encoded once).
 *
 * <p>Why not the OpenTelemetry SDK: its path converted every kept event into a {@code SpanData}
 * (hex-string ids that are validated and decoded again, sorted {@code Attributes}, a {@code
 * SpanContext} per span and parent) and then built a marshaler tree per span and attribute before
 * writing the bytes: ≈ 2.5× the CPU and 3× the allocation per span of writing the fields from the
 * event, which allocates nothing per span beyond what the mapper makes and the request's own bytes
 * (the SDK's REUSABLE_DATA marshaler saves a third of the allocation and no CPU; see
 * agent/BENCHMARK-RESULTS.md). The output is checked against the
 * official OTLP protobuf classes by the tests (what is encoded decodes to the same span).
 *
 * <p>Attributes are written in the mapper's order; null keys and values are skipped. The mappers
 * never put a key twice (OTLP forbids duplicates), and {@code error.type} is added by the encoder
 * only (mappers report it through {@link SpanMapper#errorType}).
 *
 * <p>Folder thread only; not thread-safe.
 */
public final class SpanEncoder implements AttributeSink {
  /** Longest {@code exception.stacktrace} exported; the rest is cut. */
  static final int MAX_STACKTRACE_CHARS = 8192;

  // Field numbers of opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto.
  private static final int REQUEST_RESOURCE_SPANS = 1;
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  private static final int RESOURCE_ATTRIBUTES = 1;
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_TRACE_STATE = 3;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ARRAY_VALUES = 1;

  private static final int KIND_INTERNAL = 1;
  private static final int KIND_SERVER = 2;
  private static final int KIND_CLIENT = 3;
  private static final int STATUS_CODE_ERROR = 2;
  /** Span flags: the W3C trace flags in the low byte, then "whether the parent is remote is known". */
  private static final int FLAGS_HAS_IS_REMOTE = 0x100;
  private static final int FLAGS_IS_REMOTE = 0x200;

  private final EpochClock clock;
  /** {@code ResourceSpans.resource} and {@code ScopeSpans.scope}, encoded once. */
  private final byte[] resourceField;
  private final byte[] scopeField;
  /** The window's spans so far, each a {@code ScopeSpans.spans} field. */
  private final ProtoWriter spans = new ProtoWriter(64 * 1024);
  private int count;
  /** Which repeated field {@link #put} writes to: the span's or its event's attributes. */
  private int attributesField = SPAN_ATTRIBUTES;

  public SpanEncoder(Resource resource, InstrumentationScopeInfo scope, EpochClock clock) {
    this.clock = clock;
    ProtoWriter r = new ProtoWriter(512);
    int mark = r.beginMessage(RESOURCE_SPANS_RESOURCE);
    resource.getAttributes().forEach((key, value) -> resourceAttribute(r, key, value));
    r.endMessage(mark);
    resourceField = r.toByteArray();
    ProtoWriter s = new ProtoWriter(64);
    mark = s.beginMessage(SCOPE_SPANS_SCOPE);
    s.stringField(SCOPE_NAME, scope.getName());
    if (scope.getVersion() != null) {
      s.stringField(SCOPE_VERSION, scope.getVersion());
    }
    s.endMessage(mark);
    scopeField = s.toByteArray();
  }

  /** Spans encoded since the last {@link #drain}. */
  public int count() {
    return count;
  }

  /**
   * Appends one span. When the mapper throws, nothing of the span stays and the exception
   * propagates (the folder counts it).
   */
  public <E extends SpanEvent> void encode(E event, SpanMapper<E> mapper, String errorType) {
    int start = spans.position();
    try {
      writeSpan(event, mapper, errorType);
      count++;
    } catch (RuntimeException | Error e) {
      spans.truncate(start);
      attributesField = SPAN_ATTRIBUTES;
      throw e;
    }
  }

  /** The window's spans as one {@code ExportTraceServiceRequest}; starts the next window. */
  public EncodedSpans drain() {
    if (count == 0) {
      return EncodedSpans.NONE;
    }
    int scopeSpans = scopeField.length + spans.position();
    int resourceSpans = resourceField.length + 1 + ProtoWriter.varintSize(scopeSpans) + scopeSpans;
    ProtoWriter out = new ProtoWriter(1 + ProtoWriter.varintSize(resourceSpans) + resourceSpans);
    out.tag(REQUEST_RESOURCE_SPANS, ProtoWriter.LENGTH_DELIMITED);
    out.varint(resourceSpans);
    out.raw(resourceField, 0, resourceField.length);
    out.tag(RESOURCE_SPANS_SCOPE_SPANS, ProtoWriter.LENGTH_DELIMITED);
    out.varint(scopeSpans);
    out.raw(scopeField, 0, scopeField.length);
    spans.writeTo(out);
    EncodedSpans encoded = new EncodedSpans(out.toByteArray(), count);
    spans.reset();
    count = 0;
    return encoded;
  }

  private <E extends SpanEvent> void writeSpan(E event, SpanMapper<E> mapper, String errorType) {
    ProtoWriter w = spans;
    int span = w.beginMessage(SCOPE_SPANS_SPANS);
    w.idField(SPAN_TRACE_ID, event.traceIdHigh(), event.traceIdLow(), true);
    w.idField(SPAN_SPAN_ID, 0L, event.spanId(), false);
    String traceState = cleanTraceState(event.traceState());
    if (traceState != null) {
      w.stringField(SPAN_TRACE_STATE, traceState);
    }
    if (event.parentSpanId() != 0L) {
      w.idField(SPAN_PARENT_SPAN_ID, 0L, event.parentSpanId(), false);
    }
    String name = mapper.spanName(event);
    w.stringField(SPAN_NAME, name != null ? name : "");
    w.varintField(SPAN_KIND, kind(event));
    long end = clock.toEpochNanos(event.endNanoTime());
    w.fixed64Field(SPAN_START, clock.toEpochNanos(event.startNanoTime()));
    w.fixed64Field(SPAN_END, end);
    mapper.spanAttributes(event, this);
    if (errorType != null) {
      put("error.type", errorType);
    }
    Throwable exception = event.exception();
    if (exception != null) {
      writeExceptionEvent(exception, end);
    }
    if (errorType != null) {
      int status = w.beginMessage(SPAN_STATUS);
      w.stringField(STATUS_MESSAGE, errorType);
      w.varintField(STATUS_CODE, STATUS_CODE_ERROR);
      w.endMessage(status);
    }
    int flags = (event.traceFlags() & 0xFF) | FLAGS_HAS_IS_REMOTE
        | (event.isParentRemote() ? FLAGS_IS_REMOTE : 0);
    w.fixed32Field(SPAN_FLAGS, flags);
    w.endMessage(span);
  }

  private static int kind(SpanEvent event) {
    switch (event.kind()) {
      case SERVER:
        return KIND_SERVER;
      case CLIENT:
        return KIND_CLIENT;
      default:
        return KIND_INTERNAL;
    }
  }

  private void writeExceptionEvent(Throwable t, long epochNanos) {
    StringWriter trace = new StringWriter();
    try {
      t.printStackTrace(new PrintWriter(trace));
    } catch (RuntimeException e) {
      // A throwable whose printing fails still gets its type exported.
    }
    String stack = trace.toString();
    if (stack.length() > MAX_STACKTRACE_CHARS) {
      stack = stack.substring(0, MAX_STACKTRACE_CHARS);
    }
    String message = null;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      // The application's getMessage() failed: export without it.
    }
    int event = spans.beginMessage(SPAN_EVENTS);
    spans.fixed64Field(EVENT_TIME, epochNanos);
    spans.stringField(EVENT_NAME, "exception");
    attributesField = EVENT_ATTRIBUTES;
    put("exception.type", t.getClass().getName());
    put("exception.message", message);
    put("exception.stacktrace", stack);
    attributesField = SPAN_ATTRIBUTES;
    spans.endMessage(event);
  }

  @Override
  public void put(String key, String value) {
    if (key != null && value != null) {
      long kv = beginKeyValue(spans, attributesField, key);
      spans.stringField(ANY_STRING, value);
      endKeyValue(spans, kv);
    }
  }

  @Override
  public void put(String key, long value) {
    if (key != null) {
      long kv = beginKeyValue(spans, attributesField, key);
      spans.varintField(ANY_INT, value);
      endKeyValue(spans, kv);
    }
  }

  @Override
  public void put(String key, double value) {
    if (key != null) {
      long kv = beginKeyValue(spans, attributesField, key);
      spans.fixed64Field(ANY_DOUBLE, Double.doubleToRawLongBits(value));
      endKeyValue(spans, kv);
    }
  }

  @Override
  public void put(String key, boolean value) {
    if (key != null) {
      long kv = beginKeyValue(spans, attributesField, key);
      spans.varintField(ANY_BOOL, value ? 1 : 0);
      endKeyValue(spans, kv);
    }
  }

  /** Opens a {@code KeyValue}, writes its key, opens its value; returns both marks packed. */
  private static long beginKeyValue(ProtoWriter w, int field, String key) {
    int keyValue = w.beginMessage(field);
    w.stringField(KEY_VALUE_KEY, key);
    int value = w.beginMessage(KEY_VALUE_VALUE);
    return (long) keyValue << 32 | value;
  }

  private static void endKeyValue(ProtoWriter w, long marks) {
    w.endMessage((int) marks);
    w.endMessage((int) (marks >>> 32));
  }

  private static void resourceAttribute(ProtoWriter w, AttributeKey<?> key, Object value) {
    int kv = w.beginMessage(RESOURCE_ATTRIBUTES);
    w.stringField(KEY_VALUE_KEY, key.getKey());
    int any = w.beginMessage(KEY_VALUE_VALUE);
    anyValue(w, value);
    w.endMessage(any);
    w.endMessage(kv);
  }

  private static void anyValue(ProtoWriter w, Object value) {
    if (value instanceof String) {
      w.stringField(ANY_STRING, (String) value);
    } else if (value instanceof Boolean) {
      w.varintField(ANY_BOOL, (Boolean) value ? 1 : 0);
    } else if (value instanceof Long) {
      w.varintField(ANY_INT, (Long) value);
    } else if (value instanceof Double) {
      w.fixed64Field(ANY_DOUBLE, Double.doubleToRawLongBits((Double) value));
    } else if (value instanceof List) {
      int array = w.beginMessage(ANY_ARRAY);
      for (Object element : (List<?>) value) {
        int any = w.beginMessage(ARRAY_VALUES);
        anyValue(w, element);
        w.endMessage(any);
      }
      w.endMessage(array);
    } else {
      w.stringField(ANY_STRING, String.valueOf(value));
    }
  }

  /**
   * The W3C {@code tracestate} to export: the header as it came when every member is {@code
   * key=value} without blanks (no allocation), else its well-formed members trimmed and joined.
   * Null when there is none.
   */
  static String cleanTraceState(String header) {
    if (header == null || header.isEmpty()) {
      return null;
    }
    if (isClean(header)) {
      return header;
    }
    StringBuilder clean = new StringBuilder(header.length());
    for (String member : header.split(",")) {
      String m = member.trim();
      if (m.indexOf('=') > 0) {
        if (clean.length() > 0) {
          clean.append(',');
        }
        clean.append(m);
      }
    }
    return clean.length() == 0 ? null : clean.toString();
  }

  private static boolean isClean(String header) {
    int memberStart = 0;
    boolean sawEquals = false;
    for (int i = 0; i <= header.length(); i++) {
      char c = i < header.length() ? header.charAt(i) : ',';
      if (c == ',') {
        if (!sawEquals) {
          return false;
        }
        memberStart = i + 1;
        sawEquals = false;
      } else if (c == ' ' || c == '\t') {
        return false;
      } else if (c == '=' && i > memberStart) {
        sawEquals = true;
      }
    }
    return true;
  }
}
