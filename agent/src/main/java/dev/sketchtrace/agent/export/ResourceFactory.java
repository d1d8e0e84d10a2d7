package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.AgentVersion;
import dev.sketchtrace.agent.config.Config;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.util.Map;

/**
 * The OTLP resource of this JVM: {@code service.name}, {@code host.name}, {@code process.pid}, the
 * {@code process.runtime.*} and {@code telemetry.sdk.*} attributes, {@code telemetry.distro.*}, and
 * whatever {@code otel.resource.attributes} adds ({@code otel.service.name} wins for the name).
 */
public final class ResourceFactory {
  private ResourceFactory() {}

  public static Resource create(Config config) {
    Map<String, String> configured = config.getMap("otel.resource.attributes");
    AttributesBuilder b = Attributes.builder();
    for (Map.Entry<String, String> e : configured.entrySet()) {
      b.put(AttributeKey.stringKey(e.getKey()), e.getValue());
    }
    String serviceName = config.getString("otel.service.name", configured.get("service.name"));
    b.put(AttributeKey.stringKey("service.name"),
        serviceName != null ? serviceName : "unknown_service:java");
    b.put(AttributeKey.stringKey("host.name"), hostName());
    b.put(AttributeKey.longKey("process.pid"), ProcessHandle.current().pid());
    b.put(AttributeKey.stringKey("process.runtime.name"), System.getProperty("java.runtime.name", "unknown"));
    b.put(AttributeKey.stringKey("process.runtime.version"),
        System.getProperty("java.runtime.version", System.getProperty("java.version", "unknown")));
    b.put(AttributeKey.stringKey("process.runtime.description"),
        System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", "")
            + " " + System.getProperty("java.vm.version", ""));
    b.put(AttributeKey.stringKey("telemetry.sdk.name"), "opentelemetry");
    b.put(AttributeKey.stringKey("telemetry.sdk.language"), "java");
    b.put(AttributeKey.stringKey("telemetry.sdk.version"), AgentVersion.OTEL_SDK_VERSION);
    b.put(AttributeKey.stringKey("telemetry.distro.name"), "sketchtrace");
    b.put(AttributeKey.stringKey("telemetry.distro.version"), AgentVersion.VERSION);
    return Resource.create(b.build());
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
