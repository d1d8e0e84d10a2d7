package dev.sketchtrace.collector.receiver;

/** Immutable: a request refused before decoding, with the HTTP status to answer. */
final class RequestRejected extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;

  RequestRejected(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
