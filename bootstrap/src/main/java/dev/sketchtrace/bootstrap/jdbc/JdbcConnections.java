package dev.sketchtrace.bootstrap.jdbc;

/**
 * The JDBC URL of each connection, read once per connection by the advice
 * ({@code getMetaData().getURL()}) and kept with the connection as a weak key. Thread-safe.
 *
 * <p>The raw URL may hold credentials; it is only a reference handed to the folder thread, which
 * parses out system, namespace, host and port and drops everything else.
 */
public final class JdbcConnections {
  /** Stored for a connection whose URL could not be read, so it is not asked again. */
  public static final String UNKNOWN = "";

  static final int MAX_CONNECTIONS = 1 << 14;

  private static final WeakIdentityMap<String> URLS = new WeakIdentityMap<>(MAX_CONNECTIONS);

  private JdbcConnections() {}

  /** The URL remembered for {@code connection}: null if never seen, {@link #UNKNOWN} if unreadable. */
  public static String url(Object connection) {
    return URLS.get(connection);
  }

  public static void remember(Object connection, String url) {
    if (connection != null) {
      URLS.put(connection, url == null ? UNKNOWN : url);
    }
  }

  /** Connections currently remembered (best-effort; tests and self-metrics). */
  public static int size() {
    return URLS.size();
  }
}
