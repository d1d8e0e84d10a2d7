package dev.sketchtrace.agent.export.grpc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal gRPC client for unary calls with pre-serialized protobuf messages — what OTLP/gRPC
 * export needs — over one reused HTTP/2 connection ({@link Http2Connection}).
 *
 * <p>Why hand-written: the agent jar must stay under 6 MB and free of Kotlin. grpc-java with Netty
 * would roughly triple the jar, the SDK's other gRPC sender needs OkHttp (Kotlin), and the JDK's
 * {@code HttpClient} can neither speak cleartext HTTP/2 with prior knowledge nor read trailers, which
 * carry gRPC's status. One unary call at a time with a small message is a small slice of HTTP/2.
 *
 * <p>What a call does: it reuses the connection when it is still open (control frames that arrived
 * meanwhile are handled first; after a GOAWAY it reconnects), sends HEADERS (with {@code
 * grpc-timeout}, {@code te: trailers}, the configured headers) and the length-prefixed message
 * (gzip-compressed with {@code grpc-encoding: gzip} when configured), and reads the response headers,
 * message and trailers, or a trailers-only response. The whole call — connecting included — is
 * bounded by the timeout. A call the server provably did not process (a GOAWAY excluding its stream,
 * REFUSED_STREAM) or that failed on a reused connection before any response arrived (the server had
 * closed it while idle) is sent once more (on a new connection unless only the stream was refused); every other failure is reported as a
 * status and left to the caller's retry policy ({@link GrpcCallResult#isRetryable()}).
 *
 * <p>Thread-safe: calls are serialized on a lock (the exporter makes one at a time anyway).
 */
public final class GrpcUnaryClient implements AutoCloseable {
  private final String host;
  private final int port;
  private final String scheme;
  private final String authority;
  /** Null for cleartext. */
  private final SSLSocketFactory tls;
  private final long timeoutNanos;
  private final boolean gzip;
  private final List<HeaderField> extraHeaders = new ArrayList<>();
  private final Object lock = new Object();
  private Http2Connection connection; // guarded by lock

  /**
   * @param endpoint {@code http://host:port} (cleartext, prior knowledge) or {@code https://...}
   * @param tls the TLS socket factory for https endpoints; null means the JDK default
   */
  public GrpcUnaryClient(URI endpoint, Map<String, String> headers, boolean gzip, Duration timeout,
      String userAgent, SSLSocketFactory tls) {
    String s = endpoint.getScheme() == null ? "http" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!s.equals("http") && !s.equals("https")) {
      throw new IllegalArgumentException("gRPC endpoint must be http:// or https://: " + endpoint);
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("gRPC endpoint has no host: " + endpoint);
    }
    this.scheme = s;
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() > 0 ? endpoint.getPort() : s.equals("https") ? 443 : 80;
    this.authority = endpoint.getRawAuthority();
    this.tls = s.equals("https") ? (tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault()) : null;
    this.timeoutNanos = timeout.toNanos();
    this.gzip = gzip;
    extraHeaders.add(new HeaderField("content-type", "application/grpc"));
    extraHeaders.add(new HeaderField("te", "trailers"));
    extraHeaders.add(new HeaderField("user-agent", userAgent));
    if (gzip) {
      extraHeaders.add(new HeaderField("grpc-encoding", "gzip"));
    }
    extraHeaders.add(new HeaderField("grpc-accept-encoding", "identity,gzip"));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey().trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && !name.startsWith(":") && !name.equals("te")
          && !name.equals("content-type") && !name.equals("connection")) {
        extraHeaders.add(new HeaderField(name, h.getValue()));
      }
    }
  }

  /** Calls {@code path} (e.g. {@code /pkg.Service/Method}) with one serialized request message. */
  public GrpcCallResult call(String path, byte[] message) {
    synchronized (lock) {
      long deadline = System.nanoTime() + timeoutNanos;
      byte[] body;
      try {
        body = lengthPrefixed(message);
      } catch (IOException e) {
        return GrpcCallResult.failure(GrpcStatus.INTERNAL, "cannot compress the request: " + e);
      }
      for (int attempt = 0; ; attempt++) {
        Http2Connection c;
        boolean reused;
        try {
          c = usableConnection(deadline);
          reused = c.completedExchanges > 0;
        } catch (SocketTimeoutException e) {
          return GrpcCallResult.failure(GrpcStatus.DEADLINE_EXCEEDED,
              "no connection to " + authority + " within the timeout");
        } catch (IOException | RuntimeException e) {
          return GrpcCallResult.failure(GrpcStatus.UNAVAILABLE,
              "cannot connect to " + authority + ": " + e);
        }
        Http2Connection.Http2Stream stream;
        try {
          stream = c.exchange(HpackEncoder.encode(requestHeaders(path, deadline), null), body, deadline);
        } catch (SocketTimeoutException e) {
          connection = null;
          return GrpcCallResult.failure(GrpcStatus.DEADLINE_EXCEEDED,
              "no response from " + authority + " within the timeout");
        } catch (IOException | RuntimeException e) {
          connection = null;
          if (attempt == 0 && reused && c.failedBeforeResponse) {
            continue; // the server closed the idle connection: once more on a new one
          }
          return GrpcCallResult.failure(GrpcStatus.UNAVAILABLE, "call to " + authority + " failed: " + e);
        }
        if (!c.isUsable()) {
          c.close();
          connection = null;
        }
        boolean notProcessed =
            stream.refused || stream.resetCode == Http2Connection.ERROR_REFUSED_STREAM;
        if (notProcessed && attempt == 0) {
          continue;
        }
        return interpret(stream);
      }
    }
  }

  private Http2Connection usableConnection(long deadline) throws IOException {
    Http2Connection c = connection;
    if (c != null) {
      try {
        c.drainIdle();
      } catch (IOException e) {
        c.close();
      }
      if (!c.isUsable()) {
        c.close();
        c = null;
      }
    }
    if (c == null) {
      connection = null;
      c = Http2Connection.open(host, port, tls, deadline);
      connection = c;
    }
    return c;
  }

  private List<HeaderField> requestHeaders(String path, long deadline) {
    List<HeaderField> fields = new ArrayList<>(extraHeaders.size() + 6);
    fields.add(new HeaderField(":method", "POST"));
    fields.add(new HeaderField(":scheme", scheme));
    fields.add(new HeaderField(":path", path));
    fields.add(new HeaderField(":authority", authority));
    long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    // grpc-timeout: at most 8 digits and a unit.
    fields.add(new HeaderField("grpc-timeout",
        millis < 100_000_000 ? millis + "m" : Math.min(99_999_999, millis / 1000) + "S"));
    fields.addAll(extraHeaders);
    return fields;
  }

  /** The gRPC message framing: compressed flag, 4-byte big-endian length, message. */
  private byte[] lengthPrefixed(byte[] message) throws IOException {
    byte[] payload = message;
    if (gzip) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream(message.length / 4 + 64);
      try (GZIPOutputStream z = new GZIPOutputStream(compressed)) {
        z.write(message);
      }
      payload = compressed.toByteArray();
    }
    byte[] body = new byte[5 + payload.length];
    body[0] = (byte) (gzip ? 1 : 0);
    Http2Connection.writeInt(body, 1, payload.length);
    System.arraycopy(payload, 0, body, 5, payload.length);
    return body;
  }

  static GrpcCallResult interpret(Http2Connection.Http2Stream stream) {
    if (stream.refused) {
      return GrpcCallResult.failure(GrpcStatus.UNAVAILABLE, "the server went away before the call");
    }
    List<HeaderField> headers = stream.headers;
    List<HeaderField> trailers = stream.trailers != null ? stream.trailers : headers;
    if (stream.resetCode >= 0 && (trailers == null || get(trailers, "grpc-status") == null)) {
      return GrpcCallResult.failure(GrpcStatus.fromResetCode(stream.resetCode),
          "stream reset by the server (HTTP/2 error code " + stream.resetCode + ")");
    }
    if (headers == null) {
      return GrpcCallResult.failure(GrpcStatus.INTERNAL, "no response headers");
    }
    String httpStatus = get(headers, ":status");
    if (!"200".equals(httpStatus)) {
      int code = GrpcStatus.UNKNOWN;
      try {
        code = GrpcStatus.fromHttpStatus(Integer.parseInt(String.valueOf(httpStatus)));
      } catch (NumberFormatException ignored) {
        // stays UNKNOWN
      }
      return GrpcCallResult.failure(code, "HTTP status " + httpStatus);
    }
    String grpcStatus = get(trailers, "grpc-status");
    if (grpcStatus == null) {
      return GrpcCallResult.failure(GrpcStatus.INTERNAL, "response without grpc-status");
    }
    int code;
    try {
      code = Integer.parseInt(grpcStatus.trim());
    } catch (NumberFormatException e) {
      return GrpcCallResult.failure(GrpcStatus.INTERNAL, "bad grpc-status " + grpcStatus);
    }
    String message = percentDecode(get(trailers, "grpc-message"));
    long retryDelay = retryDelayMillis(get(trailers, "grpc-status-details-bin"));
    long rejected = 0;
    String partial = "";
    if (code == GrpcStatus.OK) {
      byte[] response = responseMessage(stream.data.toByteArray(), get(headers, "grpc-encoding"));
      if (response != null) {
        try {
          ProtoReader r = new ProtoReader(response);
          while (r.hasMore()) {
            int tag = r.readTag();
            if (tag == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) { // partial_success
              ProtoReader p = r.readMessage();
              while (p.hasMore()) {
                int t = p.readTag();
                if (t == (1 << 3 | ProtoReader.VARINT)) {
                  rejected = p.readVarint();
                } else if (t == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
                  partial = p.readString();
                } else {
                  p.skip(t & 7);
                }
              }
            } else {
              r.skip(tag & 7);
            }
          }
        } catch (IOException ignored) {
          // a response we cannot read does not undo the OK status
        }
      }
    }
    return new GrpcCallResult(code, message, retryDelay, rejected, partial);
  }

  /** The first message of a response body, uncompressed; null when absent or unreadable. */
  private static byte[] responseMessage(byte[] body, String encoding) {
    if (body.length < 5) {
      return null;
    }
    int length = Http2Connection.readInt(body, 1);
    if (length < 0 || length > body.length - 5) {
      return null;
    }
    byte[] message = java.util.Arrays.copyOfRange(body, 5, 5 + length);
    if (body[0] == 0) {
      return message;
    }
    if (!"gzip".equals(encoding)) {
      return null;
    }
    try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(message))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = z.read(buffer)) > 0 && out.size() < (1 << 20); ) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * {@code google.rpc.Status} (base64, {@code -bin} header) → the delay of its {@code
   * google.rpc.RetryInfo} detail, or -1.
   */
  static long retryDelayMillis(String detailsBin) {
    if (detailsBin == null) {
      return -1;
    }
    try {
      ProtoReader status = new ProtoReader(Base64.getDecoder().decode(detailsBin.trim()));
      while (status.hasMore()) {
        int tag = status.readTag();
        if (tag != (3 << 3 | ProtoReader.LENGTH_DELIMITED)) { // details: repeated Any
          status.skip(tag & 7);
          continue;
        }
        ProtoReader any = status.readMessage();
        String typeUrl = "";
        ProtoReader value = null;
        while (any.hasMore()) {
          int t = any.readTag();
          if (t == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) {
            typeUrl = any.readString();
          } else if (t == (2 << 3 | ProtoReader.LENGTH_DELIMITED)) {
            value = any.readMessage();
          } else {
            any.skip(t & 7);
          }
        }
        if (value != null && typeUrl.endsWith("/google.rpc.RetryInfo")) {
          long seconds = 0;
          long nanos = 0;
          while (value.hasMore()) {
            int t = value.readTag();
            if (t == (1 << 3 | ProtoReader.LENGTH_DELIMITED)) { // retry_delay: Duration
              ProtoReader duration = value.readMessage();
              while (duration.hasMore()) {
                int d = duration.readTag();
                if (d == (1 << 3 | ProtoReader.VARINT)) {
                  seconds = duration.readVarint();
                } else if (d == (2 << 3 | ProtoReader.VARINT)) {
                  nanos = (int) duration.readVarint();
                } else {
                  duration.skip(d & 7);
                }
              }
            } else {
              value.skip(t & 7);
            }
          }
          return Math.max(0, seconds * 1000 + nanos / 1_000_000);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // unreadable details: no retry hint
    }
    return -1;
  }

  /** grpc-message is percent-encoded UTF-8. */
  static String percentDecode(String s) {
    if (s == null) {
      return "";
    }
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      bytes.write(c);
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  private static String get(List<HeaderField> fields, String name) {
    if (fields == null) {
      return null;
    }
    for (HeaderField f : fields) {
      if (f.name.equals(name)) {
        return f.value;
      }
    }
    return null;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
  }
}
