package dev.sketchtrace.bootstrap;

/**
 * A span the application made itself through {@code dev.sketchtrace.api}. Its attributes are kept
 * as a flat key/value array so the public API needs no type but {@code String}.
 */
public final class CustomSpan extends SpanEvent {
  private final String name;
  private final SpanKind kind;
  private String[] attributes;
  private int attributeCount;

  public CustomSpan(SpanEvent parent, String name, SpanKind kind) {
    super(parent);
    this.name = name;
    this.kind = kind;
  }

  @Override
  public SpanKind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** Adds an attribute; at most {@value #MAX_ATTRIBUTES} are kept, later ones are ignored. */
  public void setAttribute(String key, String value) {
    if (key == null || value == null || attributeCount == MAX_ATTRIBUTES) {
      return;
    }
    if (attributes == null) {
      attributes = new String[8];
    } else if (attributeCount * 2 == attributes.length) {
      attributes = java.util.Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeCount * 2] = key;
    attributes[attributeCount * 2 + 1] = value;
    attributeCount++;
  }

  public int attributeCount() {
    return attributeCount;
  }

  public String attributeKey(int i) {
    return attributes[i * 2];
  }

  public String attributeValue(int i) {
    return attributes[i * 2 + 1];
  }

  public static final int MAX_ATTRIBUTES = 32;
}
