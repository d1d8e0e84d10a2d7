package dev.sketchtrace.instrumentation.httpclient;

/**
 * Makes a client URL safe to export as {@code url.full}: user-info ({@code user:password@}) is
 * removed, every query parameter's value becomes {@code REDACTED} (names are kept: they say what
 * was asked without saying for whom), and the fragment — never sent to the server, often a token —
 * is dropped. Also reads the host and scheme out of a URL without a full parse.
 *
 * <p>Stateless and thread-safe; used on the folder thread only, since it builds strings.
 */
final class UrlSanitizer {
  static final String REDACTED = "REDACTED";

  private UrlSanitizer() {}

  static String sanitize(String url) {
    if (url == null) {
      return null;
    }
    int schemeEnd = url.indexOf("://");
    int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int authorityEnd = authorityEnd(url, authorityStart);
    int fragment = url.indexOf('#', authorityEnd);
    int end = fragment < 0 ? url.length() : fragment;
    int query = url.indexOf('?', authorityEnd);
    if (query >= end) {
      query = -1;
    }
    int at = schemeEnd < 0 ? -1 : url.lastIndexOf('@', authorityEnd - 1);
    boolean hasUserInfo = at >= authorityStart;
    if (!hasUserInfo && query < 0 && fragment < 0) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length() + 16);
    if (hasUserInfo) {
      out.append(url, 0, authorityStart).append(url, at + 1, query < 0 ? end : query);
    } else {
      out.append(url, 0, query < 0 ? end : query);
    }
    if (query >= 0) {
      out.append('?');
      redactQuery(url, query + 1, end, out);
    }
    return out.toString();
  }

  /** The host of an absolute URL (brackets of an IPv6 literal removed), or null. */
  static String host(String url) {
    if (url == null) {
      return null;
    }
    int schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) {
      return null;
    }
    int start = schemeEnd + 3;
    int end = authorityEnd(url, start);
    int at = url.lastIndexOf('@', end - 1);
    if (at >= start) {
      start = at + 1;
    }
    if (start < end && url.charAt(start) == '[') {
      int close = url.indexOf(']', start);
      return close < 0 || close > end ? null : url.substring(start + 1, close);
    }
    int colon = url.indexOf(':', start);
    int hostEnd = colon >= 0 && colon < end ? colon : end;
    return hostEnd > start ? url.substring(start, hostEnd) : null;
  }

  /** The lowercase scheme of an absolute URL, or null. */
  static String scheme(String url) {
    if (url == null) {
      return null;
    }
    int schemeEnd = url.indexOf("://");
    return schemeEnd <= 0 ? null : url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
  }

  private static int authorityEnd(String url, int from) {
    for (int i = from; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return url.length();
  }

  private static void redactQuery(String url, int from, int to, StringBuilder out) {
    int start = from;
    while (start <= to) {
      int amp = url.indexOf('&', start);
      int partEnd = amp < 0 || amp > to ? to : amp;
      int eq = url.indexOf('=', start);
      if (eq >= 0 && eq < partEnd) {
        out.append(url, start, eq + 1).append(REDACTED);
      } else {
        out.append(url, start, partEnd);
      }
      if (partEnd == to) {
        return;
      }
      out.append('&');
      start = partEnd + 1;
    }
  }
}
