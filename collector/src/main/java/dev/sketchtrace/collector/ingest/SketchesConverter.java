package dev.sketchtrace.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sketchtrace.collector.store.Kind;
import dev.sketchtrace.collector.store.SeriesIdentity;
import dev.sketchtrace.collector.store.ValueCodec;
import dev.sketchtrace.sketch.QuantileSketch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stateless: validates a {@code POST /v1/sketches} body (the contract in docs/architecture.md) and
 * turns it into points. Every sketch is decoded with the sketch-engine reader before anything is
 * stored, so a corrupt one fails the whole request with 400.
 */
public final class SketchesConverter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SKETCHES = 10_000;

  private SketchesConverter() {}

  public static List<PendingPoint> convert(byte[] body) throws InvalidDataException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidDataException("body is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
    if (root == null || !root.isObject()) throw new InvalidDataException("body must be a JSON object");
    JsonNode resource = root.path("resource");
    if (!resource.isObject()) throw new InvalidDataException("'resource' must be an object");
    String service = resource.path("service.name").asText("");
    service = service.isEmpty() ? Attributes.UNKNOWN_SERVICE : Attributes.bounded(service);
    long timeNanos = nanos(root.path("timeUnixNano"), "timeUnixNano");
    JsonNode sketches = root.path("sketches");
    if (!sketches.isArray()) throw new InvalidDataException("'sketches' must be an array");
    if (sketches.size() > MAX_SKETCHES) throw new InvalidDataException("more than " + MAX_SKETCHES + " sketches");
    List<PendingPoint> out = new ArrayList<>();
    long sec = timeNanos / 1_000_000_000L;
    for (JsonNode s : sketches) {
      String metric = s.path("metric").asText("");
      if (metric.isEmpty() || metric.length() > MetricsConverter.MAX_NAME_CHARS) {
        throw new InvalidDataException("sketches[].metric must be 1.." + MetricsConverter.MAX_NAME_CHARS + " characters");
      }
      Kind kind = kind(s.path("kind").asText(""));
      Map<String, String> attrs = new TreeMap<>();
      JsonNode a = s.path("attributes");
      if (!a.isMissingNode() && !a.isObject()) throw new InvalidDataException("sketches[].attributes must be an object");
      if (a.size() > Attributes.MAX_ATTRIBUTES) throw new InvalidDataException("too many attributes");
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        attrs.put(Attributes.bounded(e.getKey()), Attributes.bounded(e.getValue().asText()));
      }
      byte[] data;
      try {
        data = Base64.getDecoder().decode(s.path("data").asText(""));
      } catch (IllegalArgumentException e) {
        throw new InvalidDataException("sketches[].data is not base64");
      }
      if (kind == Kind.EXP_HISTOGRAM) {
        try {
          QuantileSketch.fromBytes(data);
        } catch (RuntimeException e) {
          throw new InvalidDataException("sketches[].data is not a quantile sketch: " + e.getMessage());
        }
      } else {
        try {
          ValueCodec.validate(kind, data);
        } catch (IllegalArgumentException e) {
          throw new InvalidDataException("sketches[].data: " + e.getMessage());
        }
      }
      out.add(new PendingPoint(new SeriesIdentity(service, metric, kind, attrs, null), sec, data));
    }
    return out;
  }

  private static Kind kind(String k) throws InvalidDataException {
    switch (k) {
      case "topk_time": return Kind.TOPK_TIME;
      case "topk_calls": return Kind.TOPK_CALLS;
      case "hll": return Kind.HLL;
      case "quantile": return Kind.EXP_HISTOGRAM;
      default: throw new InvalidDataException("sketches[].kind must be topk_time, topk_calls, hll or quantile, got '" + MetricsConverter.bounded(k) + "'");
    }
  }

  private static long nanos(JsonNode n, String name) throws InvalidDataException {
    try {
      long v = n.isNumber() ? n.longValue() : Long.parseLong(n.asText(""));
      if (v <= 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new InvalidDataException("'" + name + "' must be a positive integer (nanoseconds, as a string)");
    }
  }
}
