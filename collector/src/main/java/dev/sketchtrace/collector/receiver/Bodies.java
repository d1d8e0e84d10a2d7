package dev.sketchtrace.collector.receiver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Stateless: decompression with a hard output limit (the decompression-bomb guard). */
final class Bodies {
  private Bodies() {}

  /** {@code body} decoded per {@code contentEncoding} (null/identity/gzip), at most {@code limit} bytes. */
  static byte[] decode(byte[] body, String contentEncoding, int limit) throws RequestRejected {
    if (contentEncoding == null || contentEncoding.isEmpty() || contentEncoding.equalsIgnoreCase("identity")) {
      return body;
    }
    if (!contentEncoding.equalsIgnoreCase("gzip")) {
      throw new RequestRejected(415, "unsupported Content-Encoding '" + contentEncoding + "' (gzip or identity)");
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, body.length * 4 + 64));
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > limit) {
          throw new RequestRejected(413, "decompressed body exceeds " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new RequestRejected(400, "body is not valid gzip: " + e.getMessage());
    }
  }
}
