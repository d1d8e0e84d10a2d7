package dev.sketchtrace.bootstrap;

/**
 * A request served by this JVM (a servlet request). The advice fills the raw request facts it can
 * read cheaply; the folder derives names, redacts the query and classifies errors.
 *
 * <p>Two groups of facts: those every request needs for its metrics and identity (method, scheme,
 * path, context path, route, status) and the <em>request details</em> that only an exported span
 * shows (server address and port, query, protocol version, user agent, client address, forwarding
 * headers, captured request headers). The details are read only for a span that may be exported —
 * see {@link #hasRequestDetails()}.
 */
public final class HttpServerSpan extends SpanEvent {
  private String method;
  private String scheme;
  private String serverAddress;
  private int serverPort;
  private String path;
  /** The raw query string; values are redacted on the folder thread before export. */
  private String query;
  /**
   * The route template (e.g. {@code /owners/{ownerId}}) once the framework has chosen one, relative
   * to the context path.
   */
  private String route;
  private int statusCode;
  /** The socket peer's address; the folder prefers {@code Forwarded} / {@code X-Forwarded-For}. */
  private String clientAddress;
  private String userAgent;
  private String protocolVersion;
  /** The raw {@code Forwarded} request header (RFC 7239), parsed on the folder thread. */
  private String forwardedHeader;
  /** The raw {@code X-Forwarded-For} request header, parsed on the folder thread. */
  private String forwardedForHeader;
  /** The servlet context path ({@code ""} for the root context); the folder prefixes routes with it. */
  private String contextPath;
  /**
   * The raw path of the base URI a JAX-RS runtime serves the request under (context path and
   * servlet path, e.g. {@code /shop/api/}), when one matched a resource method; null otherwise.
   */
  private String routeBasePath;
  /**
   * The path templates the JAX-RS runtime matched, outermost first (class, then method or
   * sub-resource: {@code /owners}, {@code /{id}}), raw as declared; null when none matched. The
   * folder joins them to {@link #routeBasePath}; {@link #route} wins when set (Spring MVC).
   */
  private String[] routeTemplates;
  /** Values of the configured request headers, in the configured order (null entries: absent). */
  private String[] requestHeaderValues;
  /** Values of the configured response headers, in the configured order (null entries: absent). */
  private String[] responseHeaderValues;
  /** Whether the request details were read; they are read at most once per span. */
  private boolean requestDetails;

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

  public String forwardedHeader() {
    return forwardedHeader;
  }

  public void setForwardedHeader(String forwardedHeader) {
    this.forwardedHeader = forwardedHeader;
  }

  public String forwardedForHeader() {
    return forwardedForHeader;
  }

  public void setForwardedForHeader(String forwardedForHeader) {
    this.forwardedForHeader = forwardedForHeader;
  }

  public String contextPath() {
    return contextPath;
  }

  public void setContextPath(String contextPath) {
    this.contextPath = contextPath;
  }

  public String routeBasePath() {
    return routeBasePath;
  }

  public String[] routeTemplates() {
    return routeTemplates;
  }

  /** Records the JAX-RS match: see {@link #routeBasePath()} and {@link #routeTemplates()}. */
  public void setRouteTemplates(String routeBasePath, String[] routeTemplates) {
    this.routeBasePath = routeBasePath;
    this.routeTemplates = routeTemplates;
  }

  public String[] requestHeaderValues() {
    return requestHeaderValues;
  }

  public void setRequestHeaderValues(String[] requestHeaderValues) {
    this.requestHeaderValues = requestHeaderValues;
  }

  public String[] responseHeaderValues() {
    return responseHeaderValues;
  }

  public void setResponseHeaderValues(String[] responseHeaderValues) {
    this.responseHeaderValues = responseHeaderValues;
  }

  /**
   * Whether the request details (see the class comment) were recorded; when false their accessors
   * return null (or 0) because nobody read them, not because the request lacked them.
   */
  public boolean hasRequestDetails() {
    return requestDetails;
  }

  /** Records that the request details were read (each may still be null: absent in the request). */
  public void markRequestDetails() {
    this.requestDetails = true;
  }
}
