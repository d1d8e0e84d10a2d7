package dev.sketchtrace.instrumentation.jdbc;

/**
 * Turns raw SQL into its fingerprint: every literal (strings, numbers, hex and bit strings, dollar
 * quoted bodies, booleans) becomes {@code ?}, comments are dropped, runs of whitespace become one
 * space, {@code IN (?, ?, ...)} becomes {@code IN (?)}, and the result is at most {@code maxLength}
 * characters. Immutable and thread-safe; the agent calls it on the folder thread only.
 *
 * <p>A hand-written single-pass lexer rather than a parser library: a parser (JSqlParser, Calcite)
 * rejects or misreads the many dialect extensions real apps send and then leaks nothing useful or
 * everything, costs microseconds and megabytes, and would be loaded into the host JVM. Finding
 * literals only needs the lexical rules — quotes, escapes, comments, dollar quotes, numbers — which
 * are few and known per dialect ({@link SqlDialect}). SQL Server's {@code [name]} is not read as a
 * quoted identifier, because {@code [} is also an array subscript ({@code a[1]}) elsewhere: its
 * content is lexed like any text, which keeps plain names and redacts any number inside. Where the rules cannot tell (an unterminated
 * string, an unterminated comment or quoted identifier), everything to the end is redacted.
 */
final class SqlSanitizer {
  static final String TRUNCATION_MARK = "...";

  private final int maxLength;

  SqlSanitizer(int maxLength) {
    this.maxLength = Math.max(maxLength, 16);
  }

  String sanitize(String sql, SqlDialect dialect) {
    int n = sql.length();
    StringBuilder out = new StringBuilder(Math.min(n, maxLength) + 8);
    boolean pendingSpace = false;
    int i = 0;
    while (i < n) {
      if (out.length() > maxLength) {
        out.setLength(maxLength);
        out.append(TRUNCATION_MARK);
        return out.toString();
      }
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = out.length() > 0;
        i++;
        continue;
      }
      // Comments: dropped, but they separate tokens.
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#' && dialect.hashComments) {
        i = endOfLine(sql, i);
        pendingSpace = out.length() > 0;
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = endOfBlockComment(sql, i + 2);
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (c == '\'') {
        i = endOfQuoted(sql, i + 1, '\'', dialect.backslashEscapes);
        out.append('?');
      } else if (c == '"') {
        int end = endOfQuoted(sql, i + 1, '"', dialect.doubleQuotedStrings && dialect.backslashEscapes);
        if (dialect.doubleQuotedStrings || end > n) {
          out.append('?'); // a string, or an unterminated identifier: redact to the end
        } else {
          out.append(sql, i, end);
        }
        i = end;
      } else if (c == '`') {
        int end = endOfQuoted(sql, i + 1, '`', false);
        if (end > n) {
          out.append('?');
        } else {
          out.append(sql, i, end);
        }
        i = end;
      } else if (c == '$') {
        i = dollar(sql, i, out);
      } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
        i = endOfNumber(sql, i);
        out.append('?');
      } else if (isIdentifierStart(c)) {
        int end = endOfIdentifier(sql, i);
        if (end < n && sql.charAt(end) == '\'') {
          // A prefixed or typed literal: E'..', N'..', X'..', B'..', _utf8mb4'..', DATE'..'.
          boolean escapes = dialect.backslashEscapes || (end - i == 1 && (c == 'E' || c == 'e'));
          i = endOfQuoted(sql, end + 1, '\'', escapes);
          out.append('?');
        } else if (end < n - 1 && sql.charAt(end) == '&' && sql.charAt(end + 1) == '\''
            && end - i == 1 && (c == 'U' || c == 'u')) {
          i = endOfQuoted(sql, end + 2, '\'', false); // U&'..' unicode escape string
          out.append('?');
        } else if (isKeyword(sql, i, end, "TRUE") || isKeyword(sql, i, end, "FALSE")) {
          out.append('?');
          i = end;
        } else {
          out.append(sql, i, end);
          i = end;
        }
      } else {
        out.append(c);
        i++;
        if (c == ')') {
          collapseInList(out);
        }
      }
    }
    if (out.length() > maxLength) {
      out.setLength(maxLength);
      out.append(TRUNCATION_MARK);
    }
    return out.toString();
  }

  /** Index just past a quoted run starting after its opening quote; n + 1 when unterminated. */
  private static int endOfQuoted(String s, int from, char quote, boolean backslashEscapes) {
    int n = s.length();
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && s.charAt(i + 1) == quote) {
          i += 2; // doubled quote: an escaped quote inside
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n + 1;
  }

  private static int endOfLine(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** Block comments nest (PostgreSQL, SQL standard); an unterminated one runs to the end. */
  private static int endOfBlockComment(String s, int from) {
    int n = s.length();
    int depth = 1;
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else {
        i++;
      }
    }
    return n;
  }

  /**
   * {@code $1} positional parameters are kept; {@code $$...$$} and {@code $tag$...$tag$} bodies
   * become {@code ?} (an unterminated body is redacted to the end); a lone {@code $} is copied.
   */
  private static int dollar(String s, int at, StringBuilder out) {
    int n = s.length();
    int i = at + 1;
    if (i < n && isDigit(s.charAt(i))) {
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      out.append(s, at, i);
      return i;
    }
    while (i < n && isIdentifierPart(s.charAt(i)) && s.charAt(i) != '$') {
      i++;
    }
    if (i < n && s.charAt(i) == '$') {
      String tag = s.substring(at, i + 1);
      int close = s.indexOf(tag, i + 1);
      out.append('?');
      return close < 0 ? n : close + tag.length();
    }
    out.append('$');
    return at + 1;
  }

  /** Decimal, hex ({@code 0x1F}), binary, fractions, exponents and type suffixes are all one literal. */
  private static int endOfNumber(String s, int from) {
    int n = s.length();
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (isDigit(c) || c == '.' || Character.isLetter(c) || c == '_') {
        if ((c == 'e' || c == 'E') && i + 1 < n && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
          i += 2;
        } else {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }

  private static int endOfIdentifier(String s, int from) {
    int i = from + 1;
    while (i < s.length() && isIdentifierPart(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Rewrites a just-closed {@code IN (?, ?, ...)} to {@code IN (?)}: scans back over {@code ?},
   * commas and spaces to the opening parenthesis and checks that {@code IN} precedes it.
   */
  private static void collapseInList(StringBuilder out) {
    int close = out.length() - 1;
    int i = close - 1;
    boolean sawMark = false;
    while (i >= 0) {
      char c = out.charAt(i);
      if (c == '?') {
        sawMark = true;
      } else if (c != ',' && c != ' ') {
        break;
      }
      i--;
    }
    if (i < 0 || out.charAt(i) != '(' || !sawMark) {
      return;
    }
    int open = i;
    int j = open - 1;
    while (j >= 0 && out.charAt(j) == ' ') {
      j--;
    }
    if (j >= 1
        && (out.charAt(j) == 'N' || out.charAt(j) == 'n')
        && (out.charAt(j - 1) == 'I' || out.charAt(j - 1) == 'i')
        && (j < 2 || !isIdentifierPart(out.charAt(j - 2)))) {
      out.setLength(open);
      out.append("(?)");
    }
  }

  private static boolean isKeyword(String s, int from, int to, String upper) {
    return to - from == upper.length() && s.regionMatches(true, from, upper, 0, upper.length());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '@';
  }

  static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@';
  }
}
