package dev.sketchtrace.bootstrap;

/**
 * A request served by this JVM (a servlet request). The advice fills the raw request facts it can
 * read cheaply; the folder derives names, redacts the query and classifies errors.
 */
public final class HttpServerSpan extends SpanEvent {
  private String method;
  private String scheme;
  private String serverAddress;
  private int serverPort;
  private String path;
  /** The raw query string; values are redacted on the folder thread before export. */
  private String query;
  /** The route template (e.g. {@code /owners/{ownerId}}) once the framework has chosen one. */
  private String route;
  private int statusCode;
  private String clientAddress;
  private String userAgent;
  private String protocolVersion;

  /** Starts a server span continuing the caller's trace, or a new trace when the header is bad. */
  public HttpServerSpan(String traceparent, String tracestate) {
    super(traceparent, tracestate);
  }

  @Override
  public SpanKind kind() {
    return SpanKind.SERVER;
  }

  public String method() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public String scheme() {
    return scheme;
  }

  public void setScheme(String scheme) {
    this.scheme = scheme;
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

  public String path() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String query() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public String route() {
    return route;
  }

  public void setRoute(String route) {
    this.route = route;
  }

  public int statusCode() {
    return statusCode;
  }

  public void setStatusCode(int statusCode) {
    this.statusCode = statusCode;
  }

  public String clientAddress() {
    return clientAddress;
  }

  public void setClientAddress(String clientAddress) {
    this.clientAddress = clientAddress;
  }

  public String userAgent() {
    return userAgent;
  }

  public void setUserAgent(String userAgent) {
    this.userAgent = userAgent;
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public void setProtocolVersion(String protocolVersion) {
    this.protocolVersion = protocolVersion;
  }
}
