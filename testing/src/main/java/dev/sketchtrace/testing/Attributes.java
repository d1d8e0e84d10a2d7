package dev.sketchtrace.testing;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads OTLP attribute lists in tests, every value stringified. */
final class Attributes {
  private Attributes() {}

  static Map<String, String> toStringMap(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      map.put(kv.getKey(), stringify(kv.getValue()));
    }
    return map;
  }

  static String find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return stringify(kv.getValue());
      }
    }
    return null;
  }

  static boolean containsAll(List<KeyValue> attributes, Map<String, String> required) {
    for (Map.Entry<String, String> entry : required.entrySet()) {
      if (!entry.getValue().equals(find(attributes, entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static String stringify(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      case ARRAY_VALUE:
        StringBuilder out = new StringBuilder("[");
        for (AnyValue item : value.getArrayValue().getValuesList()) {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append(stringify(item));
        }
        return out.append(']').toString();
      case BYTES_VALUE:
        return value.getBytesValue().toStringUtf8();
      default:
        return value.toString();
    }
  }
}
