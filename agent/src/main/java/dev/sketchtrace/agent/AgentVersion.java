package dev.sketchtrace.agent;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version and the OpenTelemetry SDK version it bundles, filtered in at build time. */
public final class AgentVersion {
  public static final String VERSION;
  public static final String OTEL_SDK_VERSION;

  static {
    Properties p = new Properties();
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (Exception e) {
      // Unknown versions are reported as such.
    }
    VERSION = p.getProperty("version", "unknown");
    OTEL_SDK_VERSION = p.getProperty("otel.sdk.version", "unknown");
  }

  private AgentVersion() {}
}
