package dev.sketchtrace.agent.export.grpc;

/**
 * One HTTP/2 header field. Names and values are kept as ISO-8859-1 strings, so a string's length is
 * its size in octets (the unit of HPACK table sizes). Immutable.
 */
final class HeaderField {
  final String name;
  final String value;

  HeaderField(String name, String value) {
    this.name = name;
    this.value = value;
  }

  /** The entry size of RFC 7541, Section 4.1: octets of name and value plus 32. */
  int hpackSize() {
    return name.length() + value.length() + 32;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeaderField
        && ((HeaderField) o).name.equals(name)
        && ((HeaderField) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
