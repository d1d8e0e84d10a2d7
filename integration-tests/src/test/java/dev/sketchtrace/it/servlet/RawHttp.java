package dev.sketchtrace.it.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test sees the exact bytes a client gets. {@code Connection:
 * close} makes the end of the stream the end of the response.
 */
final class RawHttp {
  private RawHttp() {}

  static byte[] get(int port, String path, Map<String, String> headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost:").append(port).append("\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      return response.toByteArray();
    }
  }

  static int status(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    return Integer.parseInt(text.substring(9, 12));
  }

  /**
   * The response without what differs between two runs of the same app by design: the {@code
   * Date} header line, the server's own port where a page echoes the request URL, and the
   * {@code timestamp} of Spring Boot's JSON error body (same length either way, so chunk sizes
   * still compare).
   */
  static String comparable(byte[] response, int port) {
    return new String(response, StandardCharsets.ISO_8859_1)
        .replaceAll("(?im)^Date: [^\r\n]*\r\n", "")
        .replace("localhost:" + port, "localhost:PORT")
        .replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"T\"");
  }
}
