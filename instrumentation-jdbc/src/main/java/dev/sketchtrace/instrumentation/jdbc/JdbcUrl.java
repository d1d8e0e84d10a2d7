package dev.sketchtrace.instrumentation.jdbc;

import java.util.Locale;

/**
 * What a JDBC URL says about where queries go: {@code db.system}, {@code db.namespace}, {@code
 * server.address} and {@code server.port}. Immutable.
 *
 * <p>Only those four facts are ever taken from the URL. User names, passwords and every other
 * property ({@code user=}, {@code password=}, {@code scott/tiger@}, {@code user:secret@}) are skipped
 * by construction — the parser reads host, port and database name and nothing else — so credentials
 * in a URL never leave the JVM. Parsing never throws: an unknown or malformed URL yields {@code
 * other_sql} with the facts it could not read left null.
 */
final class JdbcUrl {
  static final JdbcUrl UNKNOWN = new JdbcUrl("other_sql", null, null, 0);

  /** The semantic-conventions {@code db.system} value. */
  final String system;
  final String namespace;
  final String host;
  /** 0 when unknown. */
  final int port;

  JdbcUrl(String system, String namespace, String host, int port) {
    this.system = system;
    this.namespace = emptyToNull(namespace);
    this.host = emptyToNull(host);
    this.port = port;
  }

  static JdbcUrl parse(String url) {
    try {
      return parseOrThrow(url);
    } catch (RuntimeException malformed) {
      return UNKNOWN;
    }
  }

  private static JdbcUrl parseOrThrow(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return UNKNOWN;
    }
    String rest = url.substring(5);
    // Wrapping drivers put their name first: jdbc:p6spy:mysql://..., jdbc:otel:postgresql://...
    for (boolean stripped = true; stripped; ) {
      stripped = false;
      for (String wrapper : new String[] {"p6spy:", "otel:", "log4jdbc:", "tracing:", "opentelemetry:"}) {
        if (rest.regionMatches(true, 0, wrapper, 0, wrapper.length())) {
          rest = rest.substring(wrapper.length());
          stripped = true;
        }
      }
    }
    int colon = rest.indexOf(':');
    String sub = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    String body = colon < 0 ? "" : rest.substring(colon + 1);
    switch (sub) {
      case "postgresql":
      case "pgsql":
        return body.startsWith("//")
            ? server("postgresql", body, 5432)
            : new JdbcUrl("postgresql", beforeAny(body, "?;"), "localhost", 5432);
      case "mysql":
      case "mysql+srv":
        return server("mysql", afterSubprotocolOptions(body), 3306);
      case "mariadb":
        return server("mariadb", afterSubprotocolOptions(body), 3306);
      case "h2":
        return h2(body);
      case "hsqldb":
        return hsqldb(body);
      case "derby":
        return derby(body);
      case "oracle":
        return oracle(body);
      case "sqlserver":
        return sqlServer(body);
      case "jtds":
        return body.regionMatches(true, 0, "sqlserver:", 0, 10)
            ? server("mssql", body.substring(10), 1433)
            : new JdbcUrl("other_sql", null, null, 0);
      case "db2":
        {
          // DB2 puts properties after the database name, behind a colon: /SAMPLE:user=u;password=p;
          JdbcUrl db2 = server("db2", body, 50000);
          return new JdbcUrl("db2", db2.namespace == null ? null : beforeAny(db2.namespace, ":"), db2.host, db2.port);
        }
      case "as400":
        return server("db2", body, 0);
      case "sqlite":
        {
          String path = beforeAny(body, "?");
          return new JdbcUrl("sqlite", path.contains(":memory:") ? null : lastSegment(path), null, 0);
        }
      case "clickhouse":
      case "ch":
        return clickhouse(body);
      default:
        return body.startsWith("//") ? server("other_sql", body, 0) : UNKNOWN;
    }
  }

  /** {@code //[user[:password]@]host[:port][,host2...][/database][?|;properties]} */
  private static JdbcUrl server(String system, String body, int defaultPort) {
    if (!body.startsWith("//")) {
      return new JdbcUrl(system, null, null, 0);
    }
    String afterSlashes = body.substring(2);
    int end = indexOfAny(afterSlashes, "/?;", 0);
    String authority = end < 0 ? afterSlashes : afterSlashes.substring(0, end);
    String database = null;
    if (end >= 0 && afterSlashes.charAt(end) == '/') {
      database = beforeAny(afterSlashes.substring(end + 1), "?;");
    }
    if (authority.contains("(host=") || authority.contains("(HOST=")) {
      // MySQL address=(host=h)(port=p) form
      return new JdbcUrl(system, database, paren(authority, "host"), parsePort(paren(authority, "port"), defaultPort));
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1); // drop user info, never read it
    }
    int comma = authority.indexOf(',');
    String first = comma < 0 ? authority : authority.substring(0, comma);
    return hostPort(system, database, first, defaultPort);
  }

  private static JdbcUrl hostPort(String system, String database, String hostAndPort, int defaultPort) {
    String host = hostAndPort;
    int port = defaultPort;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      String h = host.substring(1, close);
      if (close + 1 < host.length() && host.charAt(close + 1) == ':') {
        port = parsePort(host.substring(close + 2), defaultPort);
      }
      host = h;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && host.indexOf(':') == colon) {
        port = parsePort(host.substring(colon + 1), defaultPort);
        host = host.substring(0, colon);
      }
    }
    return new JdbcUrl(system, database, host, host.isEmpty() ? 0 : port);
  }

  /** mysql:loadbalance://, mariadb:replication:// and similar: skip to the {@code //}. */
  private static String afterSubprotocolOptions(String body) {
    int slashes = body.indexOf("//");
    return slashes < 0 ? body : body.substring(slashes);
  }

  private static JdbcUrl h2(String body) {
    String path = beforeAny(body, ";");
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
      String server = path.substring(4);
      JdbcUrl hp = server("h2", server, 9092);
      return new JdbcUrl("h2", lastSegment(hp.namespace), hp.host, hp.port);
    }
    if (lower.startsWith("mem:")) {
      return new JdbcUrl("h2", path.substring(4), null, 0);
    }
    for (String prefix : new String[] {"file:", "zip:", "nio:", "split:", "async:"}) {
      if (lower.startsWith(prefix)) {
        path = path.substring(prefix.length());
      }
    }
    return new JdbcUrl("h2", lastSegment(path), null, 0);
  }

  private static JdbcUrl hsqldb(String body) {
    String path = beforeAny(body, ";");
    String lower = path.toLowerCase(Locale.ROOT);
    for (String[] scheme : new String[][] {{"hsql:", "9001"}, {"hsqls:", "554"}, {"http:", "80"}, {"https:", "443"}}) {
      if (lower.startsWith(scheme[0])) {
        return server("hsqldb", path.substring(scheme[0].length()), Integer.parseInt(scheme[1]));
      }
    }
    for (String prefix : new String[] {"mem:", "file:", "res:"}) {
      if (lower.startsWith(prefix)) {
        return new JdbcUrl("hsqldb", lastSegment(path.substring(prefix.length())), null, 0);
      }
    }
    return new JdbcUrl("hsqldb", lastSegment(path), null, 0);
  }

  private static JdbcUrl derby(String body) {
    String path = beforeAny(body, ";");
    if (path.startsWith("//")) {
      return server("derby", path, 1527);
    }
    String lower = path.toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"memory:", "directory:", "classpath:", "jar:"}) {
      if (lower.startsWith(prefix)) {
        path = path.substring(prefix.length());
      }
    }
    return new JdbcUrl("derby", lastSegment(path), null, 0);
  }

  /**
   * {@code thin:[user/password]@host:port:SID}, {@code thin:@//host:port/service}, {@code
   * thin:@(DESCRIPTION=...(HOST=h)(PORT=p)...(SERVICE_NAME=s))}, {@code thin:@tnsalias}.
   */
  private static JdbcUrl oracle(String body) {
    int at = body.indexOf('@');
    if (at < 0) {
      return new JdbcUrl("oracle", null, null, 0);
    }
    String target = body.substring(at + 1).trim();
    if (target.startsWith("(")) {
      String service = paren(target, "service_name");
      return new JdbcUrl(
          "oracle",
          service != null ? service : paren(target, "sid"),
          paren(target, "host"),
          parsePort(paren(target, "port"), 1521));
    }
    if (target.startsWith("//")) {
      target = target.substring(2);
    }
    target = beforeAny(target, "?");
    int slash = target.indexOf('/');
    String database = null;
    if (slash >= 0) {
      database = target.substring(slash + 1);
      target = target.substring(0, slash);
    }
    String[] parts = target.split(":");
    if (parts.length == 3) {
      database = parts[2]; // host:port:SID
    }
    if (parts.length == 1 && database == null) {
      return new JdbcUrl("oracle", parts[0], null, 0); // a TNS alias
    }
    return new JdbcUrl("oracle", database, parts[0], parts.length > 1 ? parsePort(parts[1], 1521) : 1521);
  }

  /** {@code //host[\instance][:port][;databaseName=db][;...]} */
  private static JdbcUrl sqlServer(String body) {
    if (!body.startsWith("//")) {
      return new JdbcUrl("mssql", null, null, 0);
    }
    String[] parts = body.substring(2).split(";");
    String hostPart = parts[0];
    String database = null;
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        String key = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (key.equals("databasename") || key.equals("database")) {
          database = parts[i].substring(eq + 1).trim();
        } else if ((key.equals("servername") || key.equals("server")) && hostPart.isEmpty()) {
          hostPart = parts[i].substring(eq + 1).trim();
        }
      }
    }
    int backslash = hostPart.indexOf('\\');
    if (backslash >= 0) {
      int colon = hostPart.indexOf(':', backslash);
      hostPart = hostPart.substring(0, backslash) + (colon >= 0 ? hostPart.substring(colon) : "");
    }
    return hostPort("mssql", database, hostPart, 1433);
  }

  private static JdbcUrl clickhouse(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    int defaultPort = 8123;
    if (lower.startsWith("https:")) {
      defaultPort = 8443;
      body = body.substring(6);
    } else if (lower.startsWith("http:")) {
      body = body.substring(5);
    } else if (lower.startsWith("grpc:")) {
      defaultPort = 9100;
      body = body.substring(5);
    }
    return server("clickhouse", body, defaultPort);
  }

  /** The value of {@code (key=value)} in a parenthesized descriptor, case-insensitive, or null. */
  private static String paren(String s, String key) {
    String lower = s.toLowerCase(Locale.ROOT);
    int i = lower.indexOf("(" + key + "=");
    if (i < 0) {
      return null;
    }
    int start = i + key.length() + 2;
    int end = s.indexOf(')', start);
    return (end < 0 ? s.substring(start) : s.substring(start, end)).trim();
  }

  private static int parsePort(String s, int defaultPort) {
    if (s == null || s.isEmpty() || s.length() > 5) {
      return defaultPort;
    }
    int port = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return defaultPort;
      }
      port = port * 10 + (c - '0');
    }
    return port > 0 && port <= 65535 ? port : defaultPort;
  }

  private static String lastSegment(String path) {
    if (path == null) {
      return null;
    }
    String p = beforeAny(path, "?;");
    int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
    p = cut >= 0 ? p.substring(cut + 1) : p;
    int colon = p.lastIndexOf(':');
    return colon >= 0 ? p.substring(colon + 1) : p;
  }

  private static String beforeAny(String s, String stops) {
    int i = indexOfAny(s, stops, 0);
    return i < 0 ? s : s.substring(0, i);
  }

  private static int indexOfAny(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public String toString() {
    return system + " " + namespace + " " + host + ":" + port;
  }
}
