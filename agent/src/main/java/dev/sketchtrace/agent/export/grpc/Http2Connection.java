package dev.sketchtrace.agent.export.grpc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One client HTTP/2 connection (RFC 9113) carrying one request/response exchange at a time: the
 * connection preface, the SETTINGS exchange, HEADERS/CONTINUATION, DATA under both flow-control
 * windows, WINDOW_UPDATE for what the peer sends, PING acknowledgements, RST_STREAM and GOAWAY.
 * Cleartext connections use prior knowledge (no Upgrade), TLS connections ALPN {@code h2}.
 *
 * <p>Blocking I/O with a deadline: every read waits at most until the exchange's deadline, and a
 * missed deadline, like any I/O or protocol error, leaves the connection closed (a half-read frame
 * cannot be resumed). Writes are bounded by flow control: the client never sends more DATA than the
 * peer granted.
 *
 * <p>Not thread-safe: owned by one {@link GrpcUnaryClient}, used by one thread at a time.
 */
final class Http2Connection implements AutoCloseable {
  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int PRIORITY = 0x2;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PUSH_PROMISE = 0x5;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
  static final int SETTINGS_ENABLE_PUSH = 0x2;
  static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

  static final int ERROR_REFUSED_STREAM = 0x7;
  static final int ERROR_CANCEL = 0x8;

  /** The largest frame the client accepts: the protocol default, which it never raises. */
  private static final int MAX_FRAME_SIZE = 16_384;
  private static final int DEFAULT_WINDOW = 65_535;
  private static final int MAX_HEADER_LIST_SIZE = 65_536;
  /** Response bodies beyond this are read (for flow control) but not kept. */
  private static final int MAX_KEPT_BODY = 4 << 20;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final HpackDecoder decoder = new HpackDecoder(4096, MAX_HEADER_LIST_SIZE);
  private final byte[] frameHeader = new byte[9];
  private final byte[] payload = new byte[MAX_FRAME_SIZE];
  private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();

  private int peerMaxFrameSize = 16_384;
  private int peerInitialWindow = DEFAULT_WINDOW;
  private long connectionSendWindow = DEFAULT_WINDOW;
  private int nextStreamId = 1;
  private boolean settingsReceived;
  private boolean goAway;
  /** Stream id of a HEADERS frame whose block continues in CONTINUATION frames, else 0. */
  private int continuedStream;
  private boolean continuedEndStream;
  private boolean closed;
  private long deadlineNanos;
  /** Exchanges completed on this connection; a reused connection may have gone stale. */
  int completedExchanges;
  /** Set when an exchange failed before any frame of its response arrived. */
  boolean failedBeforeResponse;

  private Http2Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
  }

  /**
   * Connects, sends the preface and the client's SETTINGS, and waits for the server's SETTINGS.
   *
   * @param tls null for cleartext (prior knowledge), else the factory of TLS sockets (ALPN h2)
   */
  static Http2Connection open(String host, int port, SSLSocketFactory tls, long deadlineNanos)
      throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
      raw.setTcpNoDelay(true);
      Socket socket = raw;
      if (tls != null) {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remainingMillis(deadlineNanos));
        ssl.startHandshake();
        if (!"h2".equals(ssl.getApplicationProtocol())) {
          throw new IOException("the TLS server did not negotiate HTTP/2 (ALPN h2)");
        }
        socket = ssl;
      }
      Http2Connection c = new Http2Connection(socket);
      c.deadlineNanos = deadlineNanos;
      c.out.write(PREFACE);
      c.writeSettings();
      c.out.flush();
      while (!c.settingsReceived) {
        c.readFrame(null);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  boolean isUsable() {
    return !closed && !goAway && nextStreamId > 0 && nextStreamId < Integer.MAX_VALUE - 2;
  }

  /**
   * Handles the control frames (GOAWAY, PING, SETTINGS) that arrived while the connection was idle,
   * without blocking, so a connection the server is closing is not reused.
   */
  void drainIdle() throws IOException {
    deadlineNanos = System.nanoTime() + 1_000_000_000L;
    while (!closed && in.available() >= 9) {
      readFrame(null);
    }
  }

  /**
   * Sends one request (HEADERS, then the body as DATA ending the stream) and reads the response
   * until the stream ends: END_STREAM, RST_STREAM, or a GOAWAY that excludes the stream.
   *
   * @throws SocketTimeoutException when the deadline passes; the connection is then closed
   * @throws IOException on an I/O or protocol error; the connection is then closed
   */
  Http2Stream exchange(byte[] headerBlockToSend, byte[] body, long deadlineNanos)
      throws IOException {
    this.deadlineNanos = deadlineNanos;
    Http2Stream stream = new Http2Stream(nextStreamId, peerInitialWindow);
    nextStreamId += 2;
    try {
      writeHeaders(stream.id, headerBlockToSend);
      int offset = 0;
      boolean bodySent = false;
      while (!stream.ended) {
        int n = (int) Math.min(Math.min(body.length - offset, peerMaxFrameSize),
            Math.min(stream.sendWindow, connectionSendWindow));
        if (n <= 0 && offset < body.length) {
          out.flush();
          readFrame(stream); // a WINDOW_UPDATE, or an early end of the stream
          continue;
        }
        offset += n;
        stream.sendWindow -= n;
        connectionSendWindow -= n;
        boolean last = offset == body.length;
        writeFrame(DATA, last ? FLAG_END_STREAM : 0, stream.id, body, offset - n, n);
        if (last) {
          bodySent = true;
          break;
        }
      }
      if (!bodySent && !stream.refused) {
        // The server ended the stream before the whole body was sent: close our half too.
        byte[] code = new byte[4];
        writeInt(code, 0, ERROR_CANCEL);
        writeFrame(RST_STREAM, 0, stream.id, code, 0, 4);
      }
      out.flush();
      while (!stream.ended) {
        readFrame(stream);
      }
      completedExchanges++;
      return stream;
    } catch (IOException | RuntimeException e) {
      failedBeforeResponse = stream.nothingReceived();
      close();
      throw e;
    }
  }

  private void readFrame(Http2Stream stream) throws IOException {
    readFully(frameHeader, 9);
    int length = (frameHeader[0] & 0xff) << 16 | (frameHeader[1] & 0xff) << 8 | (frameHeader[2] & 0xff);
    int type = frameHeader[3] & 0xff;
    int flags = frameHeader[4] & 0xff;
    int streamId = readInt(frameHeader, 5) & 0x7fffffff;
    if (length > MAX_FRAME_SIZE) {
      throw protocolError("frame of " + length + " octets exceeds SETTINGS_MAX_FRAME_SIZE");
    }
    readFully(payload, length);
    if (continuedStream != 0 && type != CONTINUATION) {
      throw protocolError("expected CONTINUATION, got frame type " + type);
    }
    boolean ours = stream != null && streamId == stream.id;
    switch (type) {
      case DATA:
        onData(stream, ours, flags, length);
        break;
      case HEADERS:
        onHeaders(stream, ours, streamId, flags, length);
        break;
      case CONTINUATION:
        if (continuedStream == 0 || streamId != continuedStream) {
          throw protocolError("unexpected CONTINUATION");
        }
        headerBlock.write(payload, 0, length);
        if ((flags & FLAG_END_HEADERS) != 0) {
          headersComplete(stream, ours);
        }
        break;
      case RST_STREAM:
        if (ours && length == 4) {
          stream.resetCode = readInt(payload, 0);
          stream.ended = true;
        }
        break;
      case SETTINGS:
        onSettings(stream, streamId, flags, length);
        break;
      case PUSH_PROMISE:
        throw protocolError("PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0");
      case PING:
        if ((flags & FLAG_ACK) == 0) {
          writeFrame(PING, FLAG_ACK, 0, payload, 0, length);
          out.flush();
        }
        break;
      case GOAWAY:
        onGoAway(stream, length);
        break;
      case WINDOW_UPDATE:
        onWindowUpdate(stream, ours, streamId, length);
        break;
      default:
        break; // PRIORITY and unknown frame types are ignored (RFC 9113, 4.1 and 5.5)
    }
  }

  private void onData(Http2Stream stream, boolean ours, int flags, int length) throws IOException {
    int start = 0;
    int dataLength = length;
    if ((flags & FLAG_PADDED) != 0) {
      int pad = length > 0 ? payload[0] & 0xff : 0;
      if (length == 0 || pad >= length) {
        throw protocolError("bad DATA padding");
      }
      start = 1;
      dataLength = length - 1 - pad;
    }
    boolean endStream = (flags & FLAG_END_STREAM) != 0;
    // The whole frame, padding included, counts against the windows (RFC 9113, 6.9.1); give it back.
    if (length > 0) {
      writeWindowUpdate(0, length);
      if (ours && !endStream) {
        writeWindowUpdate(stream.id, length);
      }
      out.flush();
    }
    if (ours) {
      if (stream.data.size() + dataLength <= MAX_KEPT_BODY) {
        stream.data.write(payload, start, dataLength);
      }
      if (endStream) {
        stream.ended = true;
      }
    }
  }

  private void onHeaders(Http2Stream stream, boolean ours, int streamId, int flags, int length)
      throws IOException {
    int start = 0;
    int end = length;
    if ((flags & FLAG_PADDED) != 0) {
      int pad = length > 0 ? payload[0] & 0xff : 0;
      start = 1;
      end = length - pad;
    }
    if ((flags & FLAG_PRIORITY) != 0) {
      start += 5;
    }
    if (start > end) {
      throw protocolError("bad HEADERS padding");
    }
    headerBlock.reset();
    headerBlock.write(payload, start, end - start);
    continuedStream = streamId;
    continuedEndStream = (flags & FLAG_END_STREAM) != 0;
    if ((flags & FLAG_END_HEADERS) != 0) {
      headersComplete(stream, ours);
    }
  }

  /** Every block is decoded, whichever stream it is for: it updates the connection's HPACK table. */
  private void headersComplete(Http2Stream stream, boolean ours) throws IOException {
    List<HeaderField> fields = decoder.decode(headerBlock.toByteArray());
    continuedStream = 0;
    if (ours) {
      if (stream.headers == null) {
        stream.headers = fields;
      } else {
        stream.trailers = fields;
      }
      if (continuedEndStream) {
        stream.ended = true;
      }
    }
  }

  private void onSettings(Http2Stream stream, int streamId, int flags, int length)
      throws IOException {
    if (streamId != 0 || length % 6 != 0) {
      throw protocolError("malformed SETTINGS");
    }
    if ((flags & FLAG_ACK) != 0) {
      return;
    }
    for (int i = 0; i < length; i += 6) {
      int id = (payload[i] & 0xff) << 8 | (payload[i + 1] & 0xff);
      int value = readInt(payload, i + 2);
      if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value < 0) {
          throw protocolError("SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
        }
        // 6.9.2: a change applies to the windows of open streams too.
        if (stream != null) {
          stream.sendWindow += (long) value - peerInitialWindow;
        }
        peerInitialWindow = value;
      } else if (id == SETTINGS_MAX_FRAME_SIZE) {
        if (value < 16_384 || value > 16_777_215) {
          throw protocolError("bad SETTINGS_MAX_FRAME_SIZE " + value);
        }
        peerMaxFrameSize = value;
      }
      // HEADER_TABLE_SIZE needs nothing: the encoder never uses the dynamic table.
    }
    settingsReceived = true;
    writeFrame(SETTINGS, FLAG_ACK, 0, payload, 0, 0);
    out.flush();
  }

  private void onGoAway(Http2Stream stream, int length) throws IOException {
    if (length < 8) {
      throw protocolError("short GOAWAY");
    }
    goAway = true;
    int lastStreamId = readInt(payload, 0) & 0x7fffffff;
    int errorCode = readInt(payload, 4);
    if (stream != null && stream.id > lastStreamId) {
      // Not processed by the server (RFC 9113, 6.8): safe to send again on a new connection.
      stream.refused = true;
      stream.ended = true;
    }
    if (errorCode != 0 && (stream == null || !stream.ended)) {
      throw new IOException("GOAWAY with error code " + errorCode + ": "
          + new String(payload, 8, length - 8, StandardCharsets.UTF_8));
    }
  }

  private void onWindowUpdate(Http2Stream stream, boolean ours, int streamId, int length)
      throws IOException {
    if (length != 4) {
      throw protocolError("malformed WINDOW_UPDATE");
    }
    int increment = readInt(payload, 0) & 0x7fffffff;
    if (increment == 0) {
      throw protocolError("WINDOW_UPDATE of 0");
    }
    if (streamId == 0) {
      connectionSendWindow += increment;
      if (connectionSendWindow > Integer.MAX_VALUE) {
        throw protocolError("connection window above 2^31-1");
      }
    } else if (ours) {
      stream.sendWindow += increment;
      if (stream.sendWindow > Integer.MAX_VALUE) {
        throw protocolError("stream window above 2^31-1");
      }
    }
  }

  private void writeSettings() throws IOException {
    byte[] settings = new byte[12];
    setting(settings, 0, SETTINGS_ENABLE_PUSH, 0);
    setting(settings, 6, SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_SIZE);
    writeFrame(SETTINGS, 0, 0, settings, 0, settings.length);
  }

  private static void setting(byte[] b, int at, int id, int value) {
    b[at] = (byte) (id >>> 8);
    b[at + 1] = (byte) id;
    writeInt(b, at + 2, value);
  }

  /** HEADERS, split into CONTINUATION frames when the block exceeds the peer's frame size. */
  private void writeHeaders(int streamId, byte[] block) throws IOException {
    int first = Math.min(block.length, peerMaxFrameSize);
    writeFrame(HEADERS, first == block.length ? FLAG_END_HEADERS : 0, streamId, block, 0, first);
    for (int offset = first; offset < block.length; ) {
      int n = Math.min(block.length - offset, peerMaxFrameSize);
      offset += n;
      writeFrame(CONTINUATION, offset == block.length ? FLAG_END_HEADERS : 0, streamId, block,
          offset - n, n);
    }
  }

  private void writeWindowUpdate(int streamId, int increment) throws IOException {
    byte[] b = new byte[4];
    writeInt(b, 0, increment);
    writeFrame(WINDOW_UPDATE, 0, streamId, b, 0, 4);
  }

  private void writeFrame(int type, int flags, int streamId, byte[] data, int offset, int length)
      throws IOException {
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    out.write(streamId >>> 24);
    out.write(streamId >>> 16);
    out.write(streamId >>> 8);
    out.write(streamId);
    out.write(data, offset, length);
  }

  private void readFully(byte[] into, int length) throws IOException {
    for (int read = 0; read < length; ) {
      socket.setSoTimeout(remainingMillis(deadlineNanos));
      int n = in.read(into, read, length - read);
      if (n < 0) {
        throw new EOFException("connection closed by the server");
      }
      read += n;
    }
  }

  private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long nanos = deadlineNanos - System.nanoTime();
    if (nanos <= 0) {
      throw new SocketTimeoutException("deadline exceeded");
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
  }

  private IOException protocolError(String message) {
    return new IOException("HTTP/2 protocol error: " + message);
  }

  static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  static void writeInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }

  /** What came back on one stream. Not thread-safe; filled by the connection's reader. */
  static final class Http2Stream {
    final int id;
    long sendWindow;
    /** The response headers, then the trailers; null until received. */
    List<HeaderField> headers;
    List<HeaderField> trailers;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    /** The RST_STREAM error code, or -1. */
    int resetCode = -1;
    /** True when a GOAWAY said the server never processed the stream. */
    boolean refused;
    boolean ended;

    Http2Stream(int id, int initialWindow) {
      this.id = id;
      this.sendWindow = initialWindow;
    }

    /** True when nothing at all came back for the stream. */
    boolean nothingReceived() {
      return headers == null && data.size() == 0 && resetCode < 0;
    }
  }
}
