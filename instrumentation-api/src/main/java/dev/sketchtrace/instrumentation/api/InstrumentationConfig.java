package dev.sketchtrace.instrumentation.api;

import java.util.List;

/**
 * Read access to the agent's resolved configuration (system properties, environment, properties
 * file, defaults) for module-specific keys such as {@code sketchtrace.servlet.exclude}.
 * Implementations never throw: a bad value yields the default and one warning line.
 */
public interface InstrumentationConfig {
  String getString(String key, String defaultValue);

  boolean getBoolean(String key, boolean defaultValue);

  int getInt(String key, int defaultValue);

  /** A comma-separated list, trimmed, empty entries dropped. */
  List<String> getList(String key, List<String> defaultValue);
}
