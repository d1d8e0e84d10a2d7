package dev.sketchtrace.agent;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: single lines on stderr prefixed {@code [sketchtrace]}. The agent never uses
 * the application's logging framework. Debug lines appear only with {@code sketchtrace.debug=true};
 * {@link #once} lines appear once per key for the life of the JVM (bounded), so a recurring failure
 * never floods the application's output.
 *
 * <p>Thread-safe.
 */
public final class AgentLog {
  private static final int MAX_ONCE_KEYS = 1024;
  private static volatile boolean debug;
  private static final Set<String> LOGGED_ONCE =
      Collections.newSetFromMap(new ConcurrentHashMap<>());

  private AgentLog() {}

  public static void setDebug(boolean enabled) {
    debug = enabled;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void info(String message) {
    System.err.println("[sketchtrace] " + message);
  }

  public static void warn(String message) {
    System.err.println("[sketchtrace] WARN " + message);
  }

  public static void debug(String message) {
    if (debug) {
      System.err.println("[sketchtrace] DEBUG " + message);
    }
  }

  public static void debug(String message, Throwable t) {
    if (debug) {
      System.err.println("[sketchtrace] DEBUG " + message + ": " + t);
    }
  }

  /** Logs {@code message} as a warning the first time {@code key} is seen; later calls are silent. */
  public static void warnOnce(String key, String message) {
    if (firstTime(key)) {
      warn(message);
    }
  }

  /** Logs at debug level the first time {@code key} is seen. */
  public static void once(String key, String message) {
    if (debug && firstTime(key)) {
      debug(message);
    }
  }

  private static boolean firstTime(String key) {
    return LOGGED_ONCE.size() < MAX_ONCE_KEYS && LOGGED_ONCE.add(key);
  }
}
