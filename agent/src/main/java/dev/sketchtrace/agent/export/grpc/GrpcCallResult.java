package dev.sketchtrace.agent.export.grpc;

/**
 * The outcome of one unary call: the gRPC status, its message, the server's retry hint, and — for
 * OTLP export responses — how many items the server rejected ({@code partial_success}). Immutable.
 */
public final class GrpcCallResult {
  private final int code;
  private final String message;
  /** From {@code google.rpc.RetryInfo}, or -1 when the server gave none. */
  private final long retryDelayMillis;
  private final long rejected;
  private final String partialSuccessMessage;

  GrpcCallResult(int code, String message, long retryDelayMillis, long rejected,
      String partialSuccessMessage) {
    this.code = code;
    this.message = message;
    this.retryDelayMillis = retryDelayMillis;
    this.rejected = rejected;
    this.partialSuccessMessage = partialSuccessMessage;
  }

  static GrpcCallResult failure(int code, String message) {
    return new GrpcCallResult(code, message, -1, 0, "");
  }

  public int code() {
    return code;
  }

  public boolean isOk() {
    return code == GrpcStatus.OK;
  }

  /** Whether the OTLP specification says to send the same data again (see {@link GrpcStatus}). */
  public boolean isRetryable() {
    return GrpcStatus.retryable(code, retryDelayMillis >= 0);
  }

  public String message() {
    return message;
  }

  /** The delay the server asked for before a retry, or -1. */
  public long retryDelayMillis() {
    return retryDelayMillis;
  }

  /** Spans or data points the server rejected in an otherwise successful call. */
  public long rejected() {
    return rejected;
  }

  public String partialSuccessMessage() {
    return partialSuccessMessage;
  }

  @Override
  public String toString() {
    return GrpcStatus.name(code) + (message.isEmpty() ? "" : ": " + message);
  }
}
