package dev.sketchtrace.agent.export;

/** What became of one signal's part of a batch. Immutable. */
final class SendResult {
  enum Kind {
    /** Delivered. */
    SENT,
    /** Failed in a way worth another try (transport error, retryable status). */
    RETRY,
    /** Refused for good (e.g. INVALID_ARGUMENT): sending it again cannot help. */
    REJECTED
  }

  static final SendResult SENT = new SendResult(Kind.SENT, -1, "");

  final Kind kind;
  /** The delay the server asked for before a retry, or -1. */
  final long retryDelayMillis;
  final String detail;

  private SendResult(Kind kind, long retryDelayMillis, String detail) {
    this.kind = kind;
    this.retryDelayMillis = retryDelayMillis;
    this.detail = detail;
  }

  static SendResult retry(long retryDelayMillis, String detail) {
    return new SendResult(Kind.RETRY, retryDelayMillis, detail);
  }

  static SendResult rejected(String detail) {
    return new SendResult(Kind.REJECTED, -1, detail);
  }

  @Override
  public String toString() {
    return kind + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
