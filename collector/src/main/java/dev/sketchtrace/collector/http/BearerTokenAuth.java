package dev.sketchtrace.collector.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Immutable, thread-safe: requires {@code Authorization: Bearer <token>} on every request but
 * {@code /healthz}. The comparison is constant-time ({@link MessageDigest#isEqual}) over SHA-256
 * digests, so neither the content nor the length of the token leaks through timing. Applies to
 * gRPC too (the header is the {@code authorization} metadata).
 */
public final class BearerTokenAuth implements DecoratingHttpServiceFunction {
  private final byte[] expectedDigest;

  public BearerTokenAuth(String token) {
    this.expectedDigest = sha256(token);
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (ctx.path().equals("/healthz")) return delegate.serve(ctx, req);
    String header = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
    String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    if (!MessageDigest.isEqual(sha256(presented), expectedDigest)) {
      return HttpResponse.of(HttpStatus.UNAUTHORIZED, MediaType.PLAIN_TEXT_UTF_8, "missing or wrong bearer token\n");
    }
    return delegate.serve(ctx, req);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
