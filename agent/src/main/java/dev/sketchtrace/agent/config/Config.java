package dev.sketchtrace.agent.config;

import dev.sketchtrace.instrumentation.api.InstrumentationConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's resolved configuration. A key is looked up in system properties, then in the
 * environment ({@code otel.service.name} as {@code OTEL_SERVICE_NAME}), then in the properties file
 * named by {@code sketchtrace.config.file}, then the default applies.
 *
 * <p>Reading never throws: a value that does not parse yields the default and one warning line
 * naming the key, the bad value and the default (once per key).
 *
 * <p>Thread-safe: immutable after construction except the set of keys already warned about.
 */
public final class Config implements InstrumentationConfig {
  public static final String CONFIG_FILE = "sketchtrace.config.file";

  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> file;
  private final String fileDescription;
  private final Consumer<String> warnings;
  private final Set<String> warned = Collections.newSetFromMap(new ConcurrentHashMap<>());

  Config(
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Consumer<String> warnings) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.warnings = warnings;
    String path = lookup(CONFIG_FILE, systemProperties, environment, Collections.emptyMap());
    Map<String, String> loaded = Collections.emptyMap();
    String description = null;
    if (path != null && !path.trim().isEmpty()) {
      Path p = Paths.get(path.trim());
      try (InputStream in = Files.newInputStream(p);
          Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
          map.put(name, properties.getProperty(name));
        }
        loaded = map;
        description = p.toString();
      } catch (IOException | RuntimeException e) {
        warnings.accept(
            "cannot read " + CONFIG_FILE + "=" + path + " (" + e + "); using no config file");
      }
    }
    this.file = loaded;
    this.fileDescription = description;
  }

  /** The configuration of this JVM: its system properties, its environment, the optional file. */
  public static Config fromEnvironment(Consumer<String> warnings) {
    Map<String, String> properties = new LinkedHashMap<>();
    Properties system = System.getProperties();
    for (String name : system.stringPropertyNames()) {
      properties.put(name, system.getProperty(name));
    }
    return new Config(properties, System.getenv(), warnings);
  }

  /** For tests: explicit sources. */
  public static Config of(
      Map<String, String> systemProperties,
      Map<String, String> environment,
      Consumer<String> warnings) {
    return new Config(systemProperties, environment, warnings);
  }

  /** Which sources were consulted, for the startup banner. */
  public String sourceDescription() {
    StringBuilder s = new StringBuilder("system properties > environment");
    if (fileDescription != null) {
      s.append(" > ").append(fileDescription);
    }
    return s.append(" > defaults").toString();
  }

  /** The raw value, or null when no source sets it. */
  public String raw(String key) {
    return lookup(key, systemProperties, environment, file);
  }

  private static String lookup(
      String key, Map<String, String> props, Map<String, String> env, Map<String, String> file) {
    String value = props.get(key);
    if (value == null) {
      value = env.get(envName(key));
    }
    if (value == null) {
      value = file.get(key);
    }
    return value;
  }

  /** {@code otel.exporter.otlp.endpoint} → {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  @Override
  public String getString(String key, String defaultValue) {
    String value = raw(key);
    return value == null || value.trim().isEmpty() ? defaultValue : value.trim();
  }

  @Override
  public boolean getBoolean(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    return bad(key, value, defaultValue);
  }

  @Override
  public int getInt(String key, int defaultValue) {
    return getInt(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** An int within [{@code min}, {@code max}]; outside is a bad value. */
  public int getInt(String key, int defaultValue, int min, int max) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the warning
    }
    return bad(key, value, defaultValue);
  }

  /** A ratio or other decimal within [{@code min}, {@code max}]. */
  public double getDouble(String key, double defaultValue, double min, double max) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    try {
      double parsed = Double.parseDouble(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the warning
    }
    return bad(key, value, defaultValue);
  }

  /**
   * A positive duration: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or a bare number of
   * milliseconds as the OpenTelemetry SDK reads it.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    Duration parsed = parseDuration(value.trim());
    return parsed != null && !parsed.isNegative() && !parsed.isZero()
        ? parsed
        : bad(key, value, defaultValue);
  }

  static Duration parseDuration(String v) {
    int unitAt = 0;
    while (unitAt < v.length() && Character.isDigit(v.charAt(unitAt))) {
      unitAt++;
    }
    if (unitAt == 0 || unitAt > 12) {
      return null;
    }
    long amount = Long.parseLong(v.substring(0, unitAt));
    switch (v.substring(unitAt).trim().toLowerCase(Locale.ROOT)) {
      case "":
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return null;
    }
  }

  /** One of {@code allowed} (case-insensitive, returned lowercase). */
  public String getEnum(String key, String defaultValue, String... allowed) {
    String value = raw(key);
    if (value == null || value.trim().isEmpty()) {
      return defaultValue;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    return bad(key, value, defaultValue);
  }

  @Override
  public List<String> getList(String key, List<String> defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    for (String part : value.split(",")) {
      String item = part.trim();
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    return Collections.unmodifiableList(items);
  }

  /** {@code k1=v1,k2=v2} as in {@code otel.resource.attributes}; malformed entries are warned. */
  public Map<String, String> getMap(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : getList(key, Collections.emptyList())) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        warnOnce(key, "ignoring malformed entry '" + entry + "' of " + key + " (want key=value)");
        continue;
      }
      map.put(entry.substring(0, eq).trim(), decode(entry.substring(eq + 1).trim()));
    }
    return map;
  }

  private static String decode(String value) {
    try {
      return java.net.URLDecoder.decode(value, "UTF-8");
    } catch (java.io.UnsupportedEncodingException | IllegalArgumentException e) {
      return value;
    }
  }

  /** Whether the instrumentation module {@code name} is on (both key families are honoured). */
  public boolean instrumentationEnabled(String name) {
    String own = "sketchtrace.instrumentation." + name + ".enabled";
    String otel = "otel.instrumentation." + name + ".enabled";
    boolean defaultEnabled = getBoolean("otel.instrumentation.common.default-enabled", true);
    return raw(own) != null ? getBoolean(own, defaultEnabled) : getBoolean(otel, defaultEnabled);
  }

  private <T> T bad(String key, String value, T defaultValue) {
    warnOnce(
        key,
        "bad value for " + key + ": '" + value + "'; using the default (" + defaultValue + ")");
    return defaultValue;
  }

  private void warnOnce(String key, String message) {
    if (warned.add(key)) {
      warnings.accept(message);
    }
  }
}
