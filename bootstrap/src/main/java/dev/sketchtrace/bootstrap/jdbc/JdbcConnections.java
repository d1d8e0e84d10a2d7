package dev.sketchtrace.bootstrap.jdbc;

import dev.sketchtrace.bootstrap.CallDepth;

/**
 * The JDBC URL of each connection, read once per connection ({@code getMetaData().getURL()}) and
 * kept with the connection as a weak key. Thread-safe.
 *
 * <p>{@link #urlOf} is the one place the advice asks for a connection's URL: a lookup on every
 * later call, the read itself only the first time. The read needs {@code java.sql}, which this
 * class cannot see (the bootstrap loader cannot reach the platform loader's modules), so the JDBC
 * module hands in a {@link UrlReader} when the agent configures it; the advice, inlined into the
 * driver's classes, could not call a helper of its own module.
 *
 * <p>The raw URL may hold credentials; it is only a reference handed to the folder thread, which
 * parses out system, namespace, host and port and drops everything else.
 */
public final class JdbcConnections {
  /** Stored for a connection whose URL could not be read, so it is not asked again. */
  public static final String UNKNOWN = "";

  static final int MAX_CONNECTIONS = 1 << 14;

  private static final WeakIdentityMap<String> URLS = new WeakIdentityMap<>(MAX_CONNECTIONS);

  private static volatile UrlReader reader;

  /** Reads a connection's URL from the driver; implemented where {@code java.sql} is visible. */
  public interface UrlReader {
    /** The URL of {@code connection}, a {@code java.sql.Connection}; may throw what the driver throws. */
    String read(Object connection) throws Exception;
  }

  private JdbcConnections() {}

  /** Called once by the JDBC module, before any advice runs. */
  public static void readUrlsWith(UrlReader urlReader) {
    reader = urlReader;
  }

  /**
   * The URL of {@code connection}, {@link #UNKNOWN} if the driver could not tell, or null for a null
   * connection (or before the module handed in its reader). Never throws: the first call per
   * connection asks the driver, and a driver failure is remembered as unknown. Small on purpose, so
   * the JIT inlines it into the advice; the read is in its own method.
   */
  public static String urlOf(Object connection) {
    if (connection == null) {
      return null;
    }
    String url = URLS.get(connection);
    return url != null ? url : readAndRemember(connection);
  }

  /**
   * Asks the driver once per connection. The statement depth is entered around the read, so the
   * queries some drivers run to answer {@code getMetaData()} yield no span of their own.
   */
  private static String readAndRemember(Object connection) {
    UrlReader urlReader = reader;
    if (urlReader == null) {
      return null; // not configured yet: nothing remembered, the next call asks again
    }
    String url;
    CallDepth.enter(CallDepth.JDBC_STATEMENT);
    try {
      url = urlReader.read(connection);
    } catch (Throwable unreadable) { // a closed connection, a driver bug: never the app's problem
      url = null;
    } finally {
      CallDepth.exit(CallDepth.JDBC_STATEMENT);
    }
    if (url == null) {
      url = UNKNOWN;
    }
    URLS.put(connection, url);
    return url;
  }

  /** Connections currently remembered (best-effort; tests and self-metrics). */
  public static int size() {
    return URLS.size();
  }
}
