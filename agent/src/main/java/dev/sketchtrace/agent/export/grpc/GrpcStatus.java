package dev.sketchtrace.agent.export.grpc;

/**
 * gRPC status codes, the mappings the gRPC HTTP/2 protocol defines for HTTP statuses and
 * RST_STREAM errors, and the OTLP rule of which codes are worth retrying. Constants only.
 */
public final class GrpcStatus {
  public static final int OK = 0;
  public static final int CANCELLED = 1;
  public static final int UNKNOWN = 2;
  public static final int INVALID_ARGUMENT = 3;
  public static final int DEADLINE_EXCEEDED = 4;
  public static final int NOT_FOUND = 5;
  public static final int ALREADY_EXISTS = 6;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int FAILED_PRECONDITION = 9;
  public static final int ABORTED = 10;
  public static final int OUT_OF_RANGE = 11;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int DATA_LOSS = 15;
  public static final int UNAUTHENTICATED = 16;

  private static final String[] NAMES = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"
  };

  private GrpcStatus() {}

  public static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "CODE_" + code;
  }

  /**
   * The OTLP exporter specification's retryable codes: CANCELLED, DEADLINE_EXCEEDED, ABORTED,
   * OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, and RESOURCE_EXHAUSTED only when the server said, with
   * {@code google.rpc.RetryInfo}, that it will recover. Every other failure is final.
   */
  static boolean retryable(int code, boolean hasRetryInfo) {
    switch (code) {
      case CANCELLED:
      case DEADLINE_EXCEEDED:
      case ABORTED:
      case OUT_OF_RANGE:
      case UNAVAILABLE:
      case DATA_LOSS:
        return true;
      case RESOURCE_EXHAUSTED:
        return hasRetryInfo;
      default:
        return false;
    }
  }

  /** A non-200 HTTP status without grpc-status, per gRPC's "HTTP to gRPC status code mapping". */
  static int fromHttpStatus(int httpStatus) {
    switch (httpStatus) {
      case 400:
        return INTERNAL;
      case 401:
        return UNAUTHENTICATED;
      case 403:
        return PERMISSION_DENIED;
      case 404:
        return UNIMPLEMENTED;
      case 429:
      case 502:
      case 503:
      case 504:
        return UNAVAILABLE;
      default:
        return UNKNOWN;
    }
  }

  /** An RST_STREAM error code (RFC 9113, 7), per gRPC's HTTP/2 protocol mapping. */
  static int fromResetCode(int errorCode) {
    switch (errorCode) {
      case Http2Connection.ERROR_REFUSED_STREAM:
        return UNAVAILABLE;
      case Http2Connection.ERROR_CANCEL:
        return CANCELLED;
      case 0xb: // ENHANCE_YOUR_CALM
        return RESOURCE_EXHAUSTED;
      case 0xc: // INADEQUATE_SECURITY
        return PERMISSION_DENIED;
      default:
        return INTERNAL;
    }
  }
}
