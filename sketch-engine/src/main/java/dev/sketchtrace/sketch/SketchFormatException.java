package dev.sketchtrace.sketch;

/**
 * Immutable: thrown by every {@code fromBytes} when the input is not a valid serialized sketch —
 * truncated, an unknown version or kind, a length past the documented limits, a negative or
 * overflowing count, a NaN where a number is required, or bytes left over at the end.
 */
public final class SketchFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SketchFormatException(String message) {
    super(message);
  }

  public SketchFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
