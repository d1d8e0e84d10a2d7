package dev.sketchtrace.collector.dashboard;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sketchtrace.collector.ingest.Attributes;
import dev.sketchtrace.collector.store.SpanStore;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The span events of a stored trace (an exception is an event named {@code exception} with
 * {@code exception.type}, {@code exception.message}, {@code exception.stacktrace}), which the trace
 * view shows under the span that recorded them. Read from the stored span protobufs. Thread-safe.
 */
public final class SpanEvents {
  /** Events shown per trace at most; a span in a loop must not make the answer unbounded. */
  static final int MAX_EVENTS = 500;

  private final SpanStore spans;

  public SpanEvents(SpanStore spans) {
    this.spans = spans;
  }

  /** Span id (hex) to its events, in time order; spans without events are left out. */
  public Map<String, List<Map<String, Object>>> of(byte[] traceId) {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    HexFormat hex = HexFormat.of();
    int n = 0;
    for (SpanStore.StoredSpan stored : spans.trace(traceId)) {
      Span s;
      try {
        s = Span.parseFrom(stored.span());
      } catch (InvalidProtocolBufferException e) {
        continue; // validated on ingest; unreadable only if the disk is corrupt
      }
      for (Span.Event e : s.getEventsList()) {
        if (n++ >= MAX_EVENTS) return out;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.getName());
        m.put("timeUnixNano", e.getTimeUnixNano());
        Map<String, String> attrs = new TreeMap<>();
        for (KeyValue kv : e.getAttributesList()) attrs.put(kv.getKey(), Attributes.find(List.of(kv), kv.getKey()));
        m.put("attributes", attrs);
        out.computeIfAbsent(hex.formatHex(s.getSpanId().toByteArray()), k -> new ArrayList<>()).add(m);
      }
    }
    return out;
  }
}
