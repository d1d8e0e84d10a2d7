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
  /** The URL object the client holds (URL, URI, OkHttp HttpUrl ...); see {@link #rawUrl()}. */
  private Object rawUrl;
  /** Requests written for this call so far (first attempt, retries, redirects). */
  private int attempts;
  /** The client's internal object this span is registered under in CallSpans, or null. */
  private Object callKey;

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

  /**
   * The URL as the client's own immutable object (a {@code java.net.URL}, {@code URI}, OkHttp
   * {@code HttpUrl}); its {@code toString()} is the URL. Advice records the object rather than a
   * string so that the app thread builds no string; the folder calls {@code toString()}. Used when
   * {@link #url()} is null.
   */
  public Object rawUrl() {
    return rawUrl;
  }

  public void setRawUrl(Object rawUrl) {
    this.rawUrl = rawUrl;
  }

  /**
   * Counts one request written on the wire for this call; from the second one on (a retry or a
   * redirect the client follows itself) {@link #resendCount()} grows by one.
   */
  public void recordAttempt() {
    if (attempts++ > 0) {
      resendCount++;
    }
  }

  /**
   * The client-internal object (e.g. the JDK client's exchange) under which this span is kept in
   * {@code dev.sketchtrace.bootstrap.httpclient.CallSpans} while the call runs, so that whoever ends
   * the span can remove it; null when it is not kept there.
   */
  public Object callKey() {
    return callKey;
  }

  public void setCallKey(Object callKey) {
    this.callKey = callKey;
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

  /** {@code server.address} and {@code server.port} at once, as every client's advice knows both. */
  public void setServer(String address, int port) {
    this.serverAddress = address;
    this.serverPort = port;
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

  /**
   * {@code network.protocol.version} from a client's numeric HTTP version: {@code 2} for HTTP/2
   * and later (the convention has no minor there), else {@code 1.0} or {@code 1.1}.
   */
  public void setProtocolVersion(int major, int minor) {
    this.protocolVersion = major >= 2 ? "2" : minor == 0 ? "1.0" : "1.1";
  }

  /**
   * Ends the call with its outcome, as each client's completion point knows it: {@code
   * statusCode} when a response arrived (0: none), {@code failure} when the call threw (null:
   * none).
   */
  public void end(int statusCode, Throwable failure) {
    if (statusCode > 0) {
      this.statusCode = statusCode;
    }
    recordException(failure);
    end();
  }

  public int resendCount() {
    return resendCount;
  }

  public void setResendCount(int resendCount) {
    this.resendCount = resendCount;
  }
}
