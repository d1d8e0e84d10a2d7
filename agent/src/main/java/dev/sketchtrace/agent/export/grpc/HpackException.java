package dev.sketchtrace.agent.export.grpc;

/** A header block that breaks RFC 7541: the HTTP/2 connection must be closed (COMPRESSION_ERROR). */
final class HpackException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  HpackException(String message) {
    super(message);
  }
}
