package dev.sketchtrace.instrumentation.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one SQL text means for telemetry: its fingerprint (the sanitized text, also {@code
 * db.query.text}), {@code db.operation.name} and, when the statement names exactly one table
 * plainly, {@code db.collection.name}. Immutable.
 *
 * <p>Operation and collection are read from the sanitized text, never the raw one, so no literal can
 * reach them. Only the statement shapes below are recognized; anything else (joins, subqueries in
 * {@code FROM}, several tables, CTEs) leaves the collection unset rather than guessing.
 */
final class SqlStatementInfo {
  private static final int MAX_TOKENS = 64;

  final String queryText;
  /** Upper-case verb such as {@code SELECT}, or null when the text does not start with a known one. */
  final String operation;
  /** The one table acted on, quotes removed, or null. */
  final String collection;

  SqlStatementInfo(String queryText, String operation, String collection) {
    this.queryText = queryText;
    this.operation = operation;
    this.collection = collection;
  }

  static SqlStatementInfo of(String sanitized) {
    List<String> tokens = tokens(sanitized);
    int at = 0;
    // JDBC escape syntax: {call p(?)}, {? = call f(?)}
    while (at < tokens.size() && (tokens.get(at).equals("{") || tokens.get(at).equals("?")
        || tokens.get(at).equals("=") || tokens.get(at).equals("("))) {
      at++;
    }
    if (at >= tokens.size()) {
      return new SqlStatementInfo(sanitized, null, null);
    }
    String verb = tokens.get(at).toUpperCase(Locale.ROOT);
    if (!isOperation(verb)) {
      return new SqlStatementInfo(sanitized, null, null);
    }
    return new SqlStatementInfo(sanitized, verb, collection(verb, tokens, at + 1));
  }

  private static boolean isOperation(String verb) {
    switch (verb) {
      case "SELECT":
      case "INSERT":
      case "UPDATE":
      case "DELETE":
      case "MERGE":
      case "UPSERT":
      case "REPLACE":
      case "CALL":
      case "EXEC":
      case "EXECUTE":
      case "WITH":
      case "VALUES":
      case "CREATE":
      case "DROP":
      case "ALTER":
      case "TRUNCATE":
      case "COMMIT":
      case "ROLLBACK":
      case "BEGIN":
      case "START":
      case "SAVEPOINT":
      case "SET":
      case "SHOW":
      case "EXPLAIN":
      case "DESCRIBE":
      case "GRANT":
      case "REVOKE":
      case "LOCK":
      case "USE":
      case "ANALYZE":
      case "VACUUM":
        return true;
      default:
        return false;
    }
  }

  private static String collection(String verb, List<String> t, int at) {
    switch (verb) {
      case "SELECT":
        return selectTable(t, at);
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
        {
          int into = indexOfWord(t, at, "INTO");
          return into < 0 ? null : singleTable(t, into + 1, null);
        }
      case "MERGE":
        {
          int into = indexOfWord(t, at, "INTO");
          return into < 0 ? null : singleTable(t, into + 1, "USING");
        }
      case "UPDATE":
        {
          int i = skipWords(t, at, "LOW_PRIORITY", "IGNORE", "ONLY");
          return singleTable(t, i, "SET");
        }
      case "DELETE":
        {
          if (at < t.size() && t.get(at).equalsIgnoreCase("FROM")) {
            return singleTable(t, skipWords(t, at + 1, "ONLY"), null);
          }
          return null; // DELETE t FROM ... (several tables) or a dialect form we do not read
        }
      case "CREATE":
      case "DROP":
      case "ALTER":
      case "TRUNCATE":
        {
          int i = skipWords(t, at, "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED");
          if (i < t.size() && t.get(i).equalsIgnoreCase("TABLE")) {
            i++;
          } else if (!verb.equals("TRUNCATE")) {
            return null; // an index, view, sequence...: not a collection
          }
          i = skipWords(t, i, "IF", "NOT", "EXISTS", "ONLY");
          return tableName(t, i);
        }
      default:
        return null;
    }
  }

  /** {@code SELECT ... FROM t [alias] [WHERE ...]} with {@code FROM} at parenthesis depth 0. */
  private static String selectTable(List<String> t, int at) {
    int depth = 0;
    for (int i = at; i < t.size(); i++) {
      String s = t.get(i);
      if (s.equals("(")) {
        depth++;
      } else if (s.equals(")")) {
        depth--;
      } else if (depth == 0 && s.equalsIgnoreCase("FROM")) {
        return hasSetOperation(t, i + 1) ? null : singleTable(t, i + 1, null);
      } else if (depth == 0 && (s.equalsIgnoreCase("UNION") || s.equalsIgnoreCase("INTERSECT")
          || s.equalsIgnoreCase("EXCEPT"))) {
        return null;
      }
    }
    return null;
  }

  /** Whether a {@code UNION}/{@code INTERSECT}/{@code EXCEPT} follows at depth 0 (several tables). */
  private static boolean hasSetOperation(List<String> t, int from) {
    int depth = 0;
    for (int i = from; i < t.size(); i++) {
      String s = t.get(i);
      if (s.equals("(")) {
        depth++;
      } else if (s.equals(")")) {
        depth--;
      } else if (depth == 0 && (s.equalsIgnoreCase("UNION") || s.equalsIgnoreCase("INTERSECT")
          || s.equalsIgnoreCase("EXCEPT"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The table at {@code i}, if it is the only one: after it and an optional alias must come the end,
   * a clause keyword, or {@code requiredNext} when given ({@code SET} for UPDATE, {@code USING} for
   * MERGE) — not a comma or a join.
   */
  private static String singleTable(List<String> t, int i, String requiredNext) {
    String table = tableName(t, i);
    if (table == null) {
      return null;
    }
    int next = i + 1;
    while (next + 1 < t.size() && t.get(next).equals(".")) {
      next += 2; // schema.table
    }
    if (next < t.size() && t.get(next).equalsIgnoreCase("AS")) {
      next += 2;
    } else if (next < t.size() && isWord(t.get(next)) && !isClause(t.get(next))) {
      next++; // an alias
    }
    if (next >= t.size()) {
      return table;
    }
    String after = t.get(next);
    if (requiredNext != null) {
      return after.equalsIgnoreCase(requiredNext) ? table : null;
    }
    return after.equals(",") || isJoin(after) ? null : table;
  }

  private static String tableName(List<String> t, int i) {
    if (i >= t.size() || !isName(t.get(i)) || isClause(t.get(i))) {
      return null;
    }
    StringBuilder name = new StringBuilder(unquote(t.get(i)));
    int j = i + 1;
    while (j + 1 < t.size() && t.get(j).equals(".") && isName(t.get(j + 1))) {
      name.append('.').append(unquote(t.get(j + 1)));
      j += 2;
    }
    return name.toString();
  }

  private static boolean isJoin(String s) {
    switch (s.toUpperCase(Locale.ROOT)) {
      case "JOIN":
      case "INNER":
      case "LEFT":
      case "RIGHT":
      case "FULL":
      case "CROSS":
      case "NATURAL":
      case "OUTER":
      case "STRAIGHT_JOIN":
      case "USING":
        return true;
      default:
        return false;
    }
  }

  private static boolean isClause(String s) {
    switch (s.toUpperCase(Locale.ROOT)) {
      case "WHERE":
      case "GROUP":
      case "ORDER":
      case "HAVING":
      case "LIMIT":
      case "OFFSET":
      case "FETCH":
      case "FOR":
      case "SET":
      case "VALUES":
      case "SELECT":
      case "DEFAULT":
      case "RETURNING":
      case "ON":
      case "WINDOW":
      case "UNION":
      case "INTERSECT":
      case "EXCEPT":
      case "WITH":
      case "PARTITION":
      case "OUTPUT":
      case "FROM":
      case "INTO":
      case "USING":
        return true;
      default:
        return isJoin(s);
    }
  }

  private static int indexOfWord(List<String> t, int from, String word) {
    for (int i = from; i < t.size(); i++) {
      if (t.get(i).equalsIgnoreCase(word)) {
        return i;
      }
      if (!isWord(t.get(i))) {
        return -1; // INTO comes before anything but modifiers (IGNORE, LOW_PRIORITY, OR REPLACE)
      }
    }
    return -1;
  }

  private static int skipWords(List<String> t, int from, String... words) {
    int i = from;
    outer:
    while (i < t.size()) {
      for (String w : words) {
        if (t.get(i).equalsIgnoreCase(w)) {
          i++;
          continue outer;
        }
      }
      break;
    }
    return i;
  }

  private static boolean isWord(String s) {
    return !s.isEmpty() && SqlSanitizer.isIdentifierStart(s.charAt(0));
  }

  /** A plain or quoted identifier; never {@code ?} (a redacted literal) or punctuation. */
  private static boolean isName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    return (SqlSanitizer.isIdentifierStart(c) && c != '@') || c == '"' || c == '`' || c == '[';
  }

  private static String unquote(String s) {
    char c = s.charAt(0);
    if ((c == '"' || c == '`' || c == '[') && s.length() >= 2) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Splits sanitized text into words, quoted identifiers and single punctuation characters. */
  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    while (i < n && out.size() < MAX_TOKENS) {
      char c = s.charAt(i);
      if (c == ' ') {
        i++;
      } else if (SqlSanitizer.isIdentifierStart(c)) {
        int j = i + 1;
        while (j < n && SqlSanitizer.isIdentifierPart(s.charAt(j))) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      } else if (c == '"' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        int j = s.indexOf(close, i + 1);
        j = j < 0 ? n : j + 1;
        out.add(s.substring(i, j));
        i = j;
      } else {
        out.add(String.valueOf(c));
        i++;
      }
    }
    return out;
  }
}
