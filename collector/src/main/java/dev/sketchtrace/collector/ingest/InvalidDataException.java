package dev.sketchtrace.collector.ingest;

/** Immutable: the request is malformed; the message says what is wrong and becomes the 400 body. */
public final class InvalidDataException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidDataException(String message) {
    super(message, null, false, false);
  }
}
