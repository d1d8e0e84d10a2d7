package dev.sketchtrace.collector.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.sketchtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless: validates every span of an {@code ExportTraceServiceRequest} (protobuf bytes) and
 * prepares it for the span store.
 *
 * <p>Each span is decoded — and so validated, UTF-8 included — by the official {@link Span} parser,
 * but from its place in the request: the envelope around the spans ({@code ResourceSpans},
 * {@code ScopeSpans}) is walked with protobuf's own {@link CodedInputStream}, which yields each
 * span's offset, so the stored bytes are the span as received instead of a re-encoding of the
 * decoded message (that re-encoding cost about as much as the decoding). The resource and scope are
 * decoded with their official classes too, and unknown fields skipped by the library, so exactly
 * the requests the official request parser rejects are rejected here.
 */
public final class SpanConverter {
  private static final int RESOURCE_SPANS = lengthDelimited(ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER);
  private static final int RESOURCE = lengthDelimited(ResourceSpans.RESOURCE_FIELD_NUMBER);
  private static final int SCOPE_SPANS = lengthDelimited(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER);
  private static final int RESOURCE_SCHEMA_URL = lengthDelimited(ResourceSpans.SCHEMA_URL_FIELD_NUMBER);
  private static final int SCOPE = lengthDelimited(ScopeSpans.SCOPE_FIELD_NUMBER);
  private static final int SPANS = lengthDelimited(ScopeSpans.SPANS_FIELD_NUMBER);
  private static final int SCOPE_SCHEMA_URL = lengthDelimited(ScopeSpans.SCHEMA_URL_FIELD_NUMBER);

  /** protobuf-java's default nesting limit for a parse ({@code CodedInputStream}'s, not public). */
  private static final int RECURSION_LIMIT = 100;

  private SpanConverter() {}

  /** The tag of a length-delimited field (what {@code WireFormat.makeTag} computes; it is not public). */
  private static int lengthDelimited(int field) {
    return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /** Every span of {@code request} (an {@code ExportTraceServiceRequest}); the spans' bytes stay in {@code request}. */
  public static List<SpanStore.NewSpan> convert(byte[] request) throws InvalidDataException {
    List<SpanStore.NewSpan> out = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == RESOURCE_SPANS) {
          int length = in.readRawVarint32();
          int offset = in.getTotalBytesRead();
          in.skipRawBytes(length);
          resourceSpans(request, offset, length, out);
        } else {
          skip(in, tag);
        }
      }
    } catch (IOException e) { // over a byte array: an InvalidProtocolBufferException
      throw new InvalidDataException("body is not a valid traces protobuf message: " + e.getMessage());
    }
    return out;
  }

  /** A {@code ResourceSpans}: its resource first (wherever it is, merged if repeated, as the official parser does), then its spans. */
  private static void resourceSpans(byte[] b, int offset, int length, List<SpanStore.NewSpan> out)
      throws IOException, InvalidDataException {
    Resource.Builder resource = Resource.newBuilder();
    List<int[]> scopes = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(b, offset, length);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == RESOURCE || tag == SCOPE_SPANS) {
        int n = in.readRawVarint32();
        int at = offset + in.getTotalBytesRead();
        in.skipRawBytes(n);
        if (tag == RESOURCE) {
          CodedInputStream r = nested(b, at, n, 2);
          resource.mergeFrom(r);
          r.checkLastTagWas(0);
        }
        else scopes.add(new int[] {at, n});
      } else if (tag == RESOURCE_SCHEMA_URL) {
        in.readStringRequireUtf8();
      } else {
        skip(in, tag);
      }
    }
    String service = Attributes.serviceName(resource.getAttributesList());
    for (int[] scope : scopes) scopeSpans(b, scope[0], scope[1], service, out);
  }

  private static void scopeSpans(byte[] b, int offset, int length, String service, List<SpanStore.NewSpan> out)
      throws IOException, InvalidDataException {
    CodedInputStream in = CodedInputStream.newInstance(b, offset, length);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SPANS || tag == SCOPE) {
        int n = in.readRawVarint32();
        int at = offset + in.getTotalBytesRead();
        in.skipRawBytes(n);
        CodedInputStream m = nested(b, at, n, 3);
        if (tag == SCOPE) {
          InstrumentationScope.parser().parseFrom(m); // validated, not kept
        } else {
          Span span = Span.parser().parseFrom(m);
          out.add(new SpanStore.NewSpan(summary(span, service), b, at, n));
        }
        m.checkLastTagWas(0);
      } else if (tag == SCOPE_SCHEMA_URL) {
        in.readStringRequireUtf8();
      } else {
        skip(in, tag);
      }
    }
  }

  /**
   * A stream over the message at {@code b[at, at + n)}, nested {@code depth} messages deep in the
   * request, left with the recursion budget the request parser would have there: deeply nested
   * attribute values are refused exactly as a whole-request parse refuses them.
   */
  private static CodedInputStream nested(byte[] b, int at, int n, int depth) {
    CodedInputStream in = CodedInputStream.newInstance(b, at, n);
    in.setRecursionLimit(RECURSION_LIMIT - depth);
    return in;
  }

  /** Skips an unknown field; an end-group tag outside a group is malformed, as for the official parser. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
  }

  private static SpanStore.SpanSummary summary(Span s, String service) throws InvalidDataException {
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
    return new SpanStore.SpanSummary(
        trace, span, service, Attributes.bounded(s.getName()), route,
        s.getStartTimeUnixNano(), s.getEndTimeUnixNano() - s.getStartTimeUnixNano(), error, parent == 0);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }
}
