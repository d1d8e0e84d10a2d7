package dev.sketchtrace.instrumentation.servlet;

/**
 * The {@code client.address} of a request: the first {@code for=} node of {@code Forwarded} (RFC
 * 7239), else the first entry of {@code X-Forwarded-For}, else the socket peer. The first entry is
 * the original client as the proxies report it. Stateless; folder thread.
 */
final class ClientAddress {
  private ClientAddress() {}

  static String of(String forwarded, String forwardedFor, String peer) {
    String fromForwarded = forwarded == null ? null : forwardedFor(forwarded);
    if (fromForwarded != null) {
      return fromForwarded;
    }
    if (forwardedFor != null) {
      int comma = forwardedFor.indexOf(',');
      String first = (comma >= 0 ? forwardedFor.substring(0, comma) : forwardedFor).trim();
      if (!first.isEmpty()) {
        return first;
      }
    }
    return peer;
  }

  /** The node of the first element's {@code for} parameter, without quotes, brackets or port. */
  private static String forwardedFor(String header) {
    int comma = header.indexOf(',');
    String element = comma >= 0 ? header.substring(0, comma) : header;
    for (String pair : element.split(";")) {
      String p = pair.trim();
      if (p.length() > 4 && p.regionMatches(true, 0, "for=", 0, 4)) {
        return node(p.substring(4).trim());
      }
    }
    return null;
  }

  private static String node(String value) {
    String v = value;
    if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
      v = v.substring(1, v.length() - 1);
    }
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      return close > 1 ? v.substring(1, close) : null;
    }
    int colon = v.indexOf(':');
    if (colon >= 0 && v.indexOf(':', colon + 1) < 0) {
      v = v.substring(0, colon);
    }
    // "unknown" and obfuscated identifiers ("_hidden") name no address.
    return v.isEmpty() || v.equalsIgnoreCase("unknown") || v.startsWith("_") ? null : v;
  }
}
