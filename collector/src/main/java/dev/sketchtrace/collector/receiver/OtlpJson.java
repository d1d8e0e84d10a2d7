package dev.sketchtrace.collector.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.sketchtrace.collector.ingest.InvalidDataException;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Stateless: the OTLP JSON mapping. It is protobuf's JSON mapping except that trace and span ids
 * are hex strings, not base64; the ids are rewritten before the standard parser runs. Unknown
 * fields are ignored, as the specification asks of receivers.
 */
final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final int MAX_DEPTH = 64;

  private OtlpJson() {}

  static void merge(byte[] body, Message.Builder into) throws InvalidDataException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidDataException("body is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
    if (root == null || !root.isObject()) throw new InvalidDataException("body must be a JSON object");
    hexIdsToBase64(root, 0);
    try {
      PARSER.merge(root.toString(), into);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidDataException("body is not a valid OTLP JSON message: " + e.getMessage());
    }
  }

  static byte[] print(Message m) {
    try {
      return PRINTER.print(m).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hexIdsToBase64(JsonNode node, int depth) throws InvalidDataException {
    if (depth > MAX_DEPTH) throw new InvalidDataException("JSON nested deeper than " + MAX_DEPTH);
    if (node instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          String hex = e.getValue().asText();
          try {
            e.setValue(o.textNode(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex))));
          } catch (IllegalArgumentException bad) {
            throw new InvalidDataException(e.getKey() + " is not a hex string");
          }
        } else {
          hexIdsToBase64(e.getValue(), depth + 1);
        }
      }
    } else if (node instanceof ArrayNode) {
      for (JsonNode c : node) hexIdsToBase64(c, depth + 1);
    }
  }
}
