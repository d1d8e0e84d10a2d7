package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;

/** Stateless: validates every span of a request and prepares it for the span store. */
public final class SpanConverter {
  private SpanConverter() {}

  public static List<SpanStore.NewSpan> convert(ExportTraceServiceRequest request) throws InvalidDataException {
    List<SpanStore.NewSpan> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = Attributes.serviceName(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          byte[] trace = s.getTraceId().toByteArray();
          byte[] span = s.getSpanId().toByteArray();
          if (trace.length != 16 || allZero(trace)) {
            throw new InvalidDataException("trace_id must be 16 bytes and not all zero, got " + trace.length + " bytes");
          }
          if (span.length != 8 || allZero(span)) {
            throw new InvalidDataException("span_id must be 8 bytes and not all zero, got " + span.length + " bytes");
          }
          int parent = s.getParentSpanId().size();
          if (parent != 0 && parent != 8) {
            throw new InvalidDataException("parent_span_id must be empty or 8 bytes, got " + parent + " bytes");
          }
          if (s.getStartTimeUnixNano() <= 0 || Long.compareUnsigned(s.getEndTimeUnixNano(), s.getStartTimeUnixNano()) < 0) {
            throw new InvalidDataException("span needs start_time_unix_nano > 0 and end_time_unix_nano >= start");
          }
          String route = Attributes.find(s.getAttributesList(), "http.route");
          if (route.isEmpty()) route = Attributes.find(s.getAttributesList(), "db.query.summary");
          boolean error = s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
          SpanStore.SpanSummary summary = new SpanStore.SpanSummary(
              trace, span, service, Attributes.bounded(s.getName()), route,
              s.getStartTimeUnixNano(), s.getEndTimeUnixNano() - s.getStartTimeUnixNano(), error, parent == 0);
          byte[] bytes = s.toByteArray();
          out.add(new SpanStore.NewSpan(summary, bytes, 0, bytes.length));
        }
      }
    }
    return out;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }
}
