package dev.sketchtrace.bootstrap;

/**
 * The W3C Trace Context {@code traceparent} header: {@code version-traceid-parentid-flags}, e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}.
 *
 * <p>Parsing reads the header in place (no allocation, no exception): callers first ask {@link
 * #isValid}, then read the fields. Validation follows the specification: lowercase hex only, neither
 * id all zeros, version {@code ff} forbidden, and a future version may append fields after a dash.
 */
public final class TraceParent {
  /** The length of a version-00 header. */
  public static final int LENGTH = 55;

  /** Longest {@code tracestate} carried on; a longer one is dropped, as the spec allows. */
  static final int MAX_TRACE_STATE_LENGTH = 512;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceParent() {}

  public static boolean isValid(String header) {
    if (header == null || header.length() < LENGTH) {
      return false;
    }
    if (header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
      return false;
    }
    if (!isHex(header, 0, 2) || !isHex(header, 3, 35) || !isHex(header, 36, 52)
        || !isHex(header, 53, 55)) {
      return false;
    }
    if (header.charAt(0) == 'f' && header.charAt(1) == 'f') {
      return false;
    }
    boolean version00 = header.charAt(0) == '0' && header.charAt(1) == '0';
    if (version00 ? header.length() != LENGTH
        : header.length() > LENGTH && header.charAt(LENGTH) != '-') {
      return false;
    }
    return (traceIdHigh(header) | traceIdLow(header)) != 0L && parentSpanId(header) != 0L;
  }

  public static long traceIdHigh(String header) {
    return parseHex(header, 3, 19);
  }

  public static long traceIdLow(String header) {
    return parseHex(header, 19, 35);
  }

  public static long parentSpanId(String header) {
    return parseHex(header, 36, 52);
  }

  public static byte traceFlags(String header) {
    return (byte) parseHex(header, 53, 55);
  }

  /** The header that makes {@code span} the parent of the callee's work. */
  public static String format(SpanEvent span) {
    char[] out = new char[LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    writeHex(out, 3, span.traceIdHigh());
    writeHex(out, 19, span.traceIdLow());
    out[35] = '-';
    writeHex(out, 36, span.spanId());
    out[52] = '-';
    out[53] = HEX[(span.traceFlags() >> 4) & 0xF];
    out[54] = HEX[span.traceFlags() & 0xF];
    return new String(out);
  }

  /** A 32-character lowercase hex trace id, as OTLP JSON and logs spell it. */
  public static String traceIdHex(long high, long low) {
    char[] out = new char[32];
    writeHex(out, 0, high);
    writeHex(out, 16, low);
    return new String(out);
  }

  /** A 16-character lowercase hex span id. */
  public static String spanIdHex(long spanId) {
    char[] out = new char[16];
    writeHex(out, 0, spanId);
    return new String(out);
  }

  static String boundedTraceState(String tracestate) {
    return tracestate == null || tracestate.isEmpty() || tracestate.length() > MAX_TRACE_STATE_LENGTH
        ? null
        : tracestate;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static long parseHex(String s, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      value = (value << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return value;
  }

  private static void writeHex(char[] out, int at, long value) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
