package dev.sketchtrace.instrumentation.jdbc;

/**
 * The lexical rules that differ between SQL dialects and matter for finding literals. Chosen from
 * {@code db.system}; an unknown system gets the rules that redact the most.
 */
enum SqlDialect {
  /** PostgreSQL, Oracle, H2, HSQLDB, Derby, DB2, SQLite, SQL Server: {@code "x"} is an identifier. */
  STANDARD(false, false, false),
  /** MySQL and MariaDB: backslash escapes, {@code "x"} is a string, {@code #} starts a comment. */
  MYSQL(true, true, true),
  /** ClickHouse: backslash escapes, {@code "x"} is an identifier. */
  CLICKHOUSE(true, false, true),
  /** Unknown systems: when unsure, redact — backslash escapes and {@code "x"} as a string. */
  UNKNOWN(true, true, false);

  /** Whether {@code \'} inside a quoted string escapes the quote. */
  final boolean backslashEscapes;
  /** Whether {@code "..."} is a string literal (redacted) rather than a quoted identifier (kept). */
  final boolean doubleQuotedStrings;
  /** Whether {@code #} starts a comment to the end of the line. */
  final boolean hashComments;

  SqlDialect(boolean backslashEscapes, boolean doubleQuotedStrings, boolean hashComments) {
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.hashComments = hashComments;
  }

  static SqlDialect forSystem(String dbSystem) {
    if (dbSystem == null) {
      return UNKNOWN;
    }
    switch (dbSystem) {
      case "mysql":
      case "mariadb":
        return MYSQL;
      case "clickhouse":
        return CLICKHOUSE;
      case "postgresql":
      case "oracle":
      case "h2":
      case "hsqldb":
      case "derby":
      case "db2":
      case "sqlite":
      case "mssql":
        return STANDARD;
      default:
        return UNKNOWN;
    }
  }
}
