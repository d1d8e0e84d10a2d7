package dev.sketchtrace.bootstrap;

/**
 * An outgoing HTTP call. The advice records the raw URL; the folder strips user-info, redacts
 * query values and derives the metric key (method, server address and port, status class).
 */
public final class HttpClientSpan extends SpanEvent {
  private String method;
  /** The raw URL as the app gave it; never exported before sanitizing. */
  private String url;
  private String serverAddress;
  private int serverPort;
  private int statusCode;
  private String protocolVersion;
  private int resendCount;

  /** Starts a client span, child of {@code parent} (the current span), or a new trace. */
  public HttpClientSpan(SpanEvent parent) {
    super(parent);
  }

  @Override
  public SpanKind kind() {
    return SpanKind.CLIENT;
  }

  public String method() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public String url() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public void setServerAddress(String serverAddress) {
    this.serverAddress = serverAddress;
  }

  public int serverPort() {
    return serverPort;
  }

  public void setServerPort(int serverPort) {
    this.serverPort = serverPort;
  }

  public int statusCode() {
    return statusCode;
  }

  public void setStatusCode(int statusCode) {
    this.statusCode = statusCode;
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public void setProtocolVersion(String protocolVersion) {
    this.protocolVersion = protocolVersion;
  }

  public int resendCount() {
    return resendCount;
  }

  public void setResendCount(int resendCount) {
    this.resendCount = resendCount;
  }
}
