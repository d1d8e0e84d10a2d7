package dev.sketchtrace.collector.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stateless: OTLP attributes to the bounded string map a series is identified by. */
public final class Attributes {
  /** Longer values are cut (with a marker) so a hostile value cannot bloat every key it is in. */
  public static final int MAX_VALUE_CHARS = 1024;
  public static final int MAX_ATTRIBUTES = 128;
  public static final String UNKNOWN_SERVICE = "unknown_service";

  private Attributes() {}

  public static TreeMap<String, String> toMap(List<KeyValue> kvs) throws InvalidDataException {
    if (kvs.size() > MAX_ATTRIBUTES) {
      throw new InvalidDataException("more than " + MAX_ATTRIBUTES + " attributes on one item");
    }
    TreeMap<String, String> m = new TreeMap<>();
    for (KeyValue kv : kvs) {
      if (kv.getKey().isEmpty()) throw new InvalidDataException("attribute with an empty key");
      m.put(bounded(kv.getKey()), bounded(asString(kv.getValue())));
    }
    return m;
  }

  public static String serviceName(List<KeyValue> resource) {
    for (KeyValue kv : resource) {
      if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
        String s = kv.getValue().getStringValue();
        return s.isEmpty() ? UNKNOWN_SERVICE : bounded(s);
      }
    }
    return UNKNOWN_SERVICE;
  }

  public static String bounded(String s) {
    return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "…";
  }

  static String asString(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return v.getStringValue();
      case BOOL_VALUE: return Boolean.toString(v.getBoolValue());
      case INT_VALUE: return Long.toString(v.getIntValue());
      case DOUBLE_VALUE: return Double.toString(v.getDoubleValue());
      case BYTES_VALUE: return java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE: {
        StringBuilder b = new StringBuilder("[");
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          if (b.length() > 1) b.append(',');
          b.append(asString(e));
          if (b.length() > MAX_VALUE_CHARS) break;
        }
        return b.append(']').toString();
      }
      case KVLIST_VALUE: {
        StringBuilder b = new StringBuilder("{");
        for (KeyValue e : v.getKvlistValue().getValuesList()) {
          if (b.length() > 1) b.append(',');
          b.append(e.getKey()).append('=').append(asString(e.getValue()));
          if (b.length() > MAX_VALUE_CHARS) break;
        }
        return b.append('}').toString();
      }
      default: return "";
    }
  }

  /** The value of {@code key} among {@code kvs}, or "" when absent. */
  public static String find(List<KeyValue> kvs, String key) {
    for (KeyValue kv : kvs) {
      if (kv.getKey().equals(key)) return bounded(asString(kv.getValue()));
    }
    return "";
  }
}
