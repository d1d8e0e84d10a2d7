package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Sends the sketches OTLP cannot carry (top-K, HyperLogLog) to {@code POST /v1/sketches} of the
 * bundled collector, as the JSON documented in {@code docs/architecture.md}. Any other OTLP backend
 * answers 404: the poster then stops for good and says so once. Export thread only.
 */
final class SketchesPoster {
  private final URI endpoint;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final HttpClient client;
  /** Derived rather than configured (OTLP over gRPC): a refused connection switches it off. */
  private final boolean derived;
  private volatile boolean disabled;

  SketchesPoster(String endpoint, Map<String, String> headers, Duration timeout, HttpClient client) {
    this(endpoint, false, headers, timeout, client);
  }

  SketchesPoster(String endpoint, boolean derived, Map<String, String> headers, Duration timeout,
      HttpClient client) {
    this.derived = derived;
    this.endpoint = URI.create(endpoint);
    this.headers = headers;
    this.timeout = timeout;
    this.client = client;
  }

  /** True when sent, not wanted (404), or nothing to send; false on a failure worth retrying. */
  boolean send(Resource resource, ExportBatch batch) {
    if (disabled || batch.sketches.isEmpty()) {
      return true;
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json(resource, batch)));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status == 404 || status == 405) {
        disabled = true;
        AgentLog.info(
            "the OTLP endpoint has no /v1/sketches (HTTP " + status + "); top-K and distinct"
                + " counts are no longer sent (metrics and spans are)");
        return true;
      }
      if (status / 100 != 2) {
        AgentLog.debug("POST " + endpoint + " answered HTTP " + status);
      }
      return status / 100 == 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.net.ConnectException e) {
      if (derived) {
        disabled = true;
        AgentLog.info("nothing listens at " + endpoint + " (derived from the gRPC endpoint); top-K"
            + " and distinct counts are not sent — set sketchtrace.sketches.endpoint to the"
            + " collector's OTLP/HTTP port to send them (metrics and spans go over gRPC)");
        return true;
      }
      AgentLog.debug("POST " + endpoint + " failed", e);
      return false;
    } catch (Exception e) {
      AgentLog.debug("POST " + endpoint + " failed", e);
      return false;
    }
  }

  static String json(Resource resource, ExportBatch batch) {
    StringBuilder s = new StringBuilder(256 + 128 * batch.sketches.size());
    s.append("{\"resource\":{");
    boolean first = true;
    for (Map.Entry<AttributeKey<?>, Object> a : resource.getAttributes().asMap().entrySet()) {
      if (!first) {
        s.append(',');
      }
      first = false;
      string(s, a.getKey().getKey()).append(':');
      string(s, String.valueOf(a.getValue()));
    }
    s.append("},\"timeUnixNano\":\"").append(batch.epochNanos)
        .append("\",\"intervalStartUnixNano\":\"").append(batch.intervalStartEpochNanos)
        .append("\",\"sketches\":[");
    List<ExportBatch.SketchEntry> entries = batch.sketches;
    for (int i = 0; i < entries.size(); i++) {
      ExportBatch.SketchEntry e = entries.get(i);
      if (i > 0) {
        s.append(',');
      }
      s.append("{\"metric\":");
      string(s, e.metric).append(",\"kind\":");
      string(s, e.kind).append(",\"attributes\":{");
      boolean firstAttribute = true;
      for (Map.Entry<String, String> a : e.attributes.entrySet()) {
        if (!firstAttribute) {
          s.append(',');
        }
        firstAttribute = false;
        string(s, a.getKey()).append(':');
        string(s, a.getValue());
      }
      s.append("},\"data\":\"").append(Base64.getEncoder().encodeToString(e.data)).append("\"}");
    }
    return s.append("]}").toString();
  }

  private static StringBuilder string(StringBuilder s, String value) {
    s.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          s.append("\\\"");
          break;
        case '\\':
          s.append("\\\\");
          break;
        case '\n':
          s.append("\\n");
          break;
        case '\r':
          s.append("\\r");
          break;
        case '\t':
          s.append("\\t");
          break;
        default:
          if (c < 0x20) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
      }
    }
    return s.append('"');
  }
}
