package dev.sketchtrace.agent.export;

/**
 * The kept spans of one export window, already encoded as one OTLP {@code
 * ExportTraceServiceRequest} (the body of an http/protobuf POST and the message of a gRPC call).
 * Immutable.
 */
public final class EncodedSpans {
  static final EncodedSpans NONE = new EncodedSpans(new byte[0], 0);

  private final byte[] request;
  private final int count;

  EncodedSpans(byte[] request, int count) {
    this.request = request;
    this.count = count;
  }

  /** The encoded {@code ExportTraceServiceRequest}; callers must not modify it. */
  public byte[] request() {
    return request;
  }

  public int count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }
}
