package dev.sketchtrace.testing;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;

/** A span as a stub receiver got it, with the string-valued attributes of its resource. */
public record ReceivedSpan(Map<String, String> resource, Span span) {

  public String name() {
    return span.getName();
  }

  public String traceId() {
    return Hex.of(span.getTraceId());
  }

  public String spanId() {
    return Hex.of(span.getSpanId());
  }

  /** The parent's span id in hex, or "" for a root span. */
  public String parentSpanId() {
    return span.getParentSpanId().isEmpty() ? "" : Hex.of(span.getParentSpanId());
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  /** The attribute's value stringified, or null when absent. */
  public String attribute(String key) {
    return Attributes.find(span.getAttributesList(), key);
  }

  public boolean isError() {
    return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
  }

  public long durationNanos() {
    return span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
  }

  public List<Span.Event> events() {
    return span.getEventsList();
  }

  @Override
  public String toString() {
    return kind() + " '" + name() + "' trace=" + traceId() + " span=" + spanId() + " parent="
        + parentSpanId() + " service=" + resource.get("service.name") + " attrs="
        + Attributes.toStringMap(span.getAttributesList());
  }
}
