package dev.sketchtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  private final List<String> warnings = new ArrayList<>();

  @Test
  void systemPropertiesBeatEnvironmentBeatFileBeatDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "a=file\nb=file\nc=file\n");
    Config config =
        Config.of(
            Map.of("a", "property", "sketchtrace.config.file", file.toString()),
            Map.of("A", "env", "B", "env"),
            warnings::add);
    assertThat(config.getString("a", "default")).isEqualTo("property");
    assertThat(config.getString("b", "default")).isEqualTo("env");
    assertThat(config.getString("c", "default")).isEqualTo("file");
    assertThat(config.getString("d", "default")).isEqualTo("default");
    assertThat(config.sourceDescription()).contains(file.toString());
    assertThat(warnings).isEmpty();
  }

  @Test
  void environmentNamesFollowTheOpenTelemetryConvention() {
    Config config =
        Config.of(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "SKETCHTRACE_QUEUE_CAPACITY", "1024", "SKETCHTRACE_JDBC_TOP_K", "7"), warnings::add);
    assertThat(config.getString("otel.exporter.otlp.endpoint", null)).isEqualTo("http://collector:4318");
    assertThat(config.getInt("sketchtrace.queue.capacity", 1)).isEqualTo(1024);
    assertThat(config.getInt("sketchtrace.jdbc.top-k", 50)).isEqualTo(7);
  }

  @Test
  void badValueGivesTheDefaultAndOneWarningNamingKeyValueAndDefault() {
    Config config =
        Config.of(Map.of("sketchtrace.queue.capacity", "lots", "sketchtrace.export.interval", "soon",
            "sketchtrace.enabled", "yes"), Map.of(), warnings::add);
    assertThat(config.getInt("sketchtrace.queue.capacity", 65536)).isEqualTo(65536);
    assertThat(config.getInt("sketchtrace.queue.capacity", 65536)).isEqualTo(65536);
    assertThat(config.getDuration("sketchtrace.export.interval", Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(config.getBoolean("sketchtrace.enabled", true)).isTrue();
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0)).contains("sketchtrace.queue.capacity", "'lots'", "65536");
    assertThat(warnings.get(1)).contains("sketchtrace.export.interval", "'soon'", "PT10S");
    assertThat(warnings.get(2)).contains("sketchtrace.enabled", "'yes'", "true");
  }

  @Test
  void durationsReadUnitsAndBareMillis() {
    assertThat(Config.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Config.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Config.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Config.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Config.parseDuration("10 parsecs")).isNull();
    assertThat(Config.parseDuration("s")).isNull();
  }

  @Test
  void outOfRangeNumbersAreBadValues() {
    Config config = Config.of(Map.of("otel.traces.sampler.arg", "1.5"), Map.of(), warnings::add);
    assertThat(config.getDouble("otel.traces.sampler.arg", 1.0, 0.0, 1.0)).isEqualTo(1.0);
    assertThat(warnings).singleElement().asString().contains("otel.traces.sampler.arg", "'1.5'");
  }

  @Test
  void instrumentationSwitchesHonourBothKeyFamilies() {
    Config config =
        Config.of(Map.of("otel.instrumentation.jdbc.enabled", "false",
            "sketchtrace.instrumentation.servlet.enabled", "false",
            "otel.instrumentation.okhttp.enabled", "false",
            "sketchtrace.instrumentation.okhttp.enabled", "true"), Map.of(), warnings::add);
    assertThat(config.instrumentationEnabled("jdbc")).isFalse();
    assertThat(config.instrumentationEnabled("servlet")).isFalse();
    assertThat(config.instrumentationEnabled("okhttp")).isTrue();
    assertThat(config.instrumentationEnabled("java-http-client")).isTrue();
  }

  @Test
  void mapsAndListsAreParsed() {
    Config config =
        Config.of(Map.of("otel.resource.attributes", "deployment.environment=prod, team=a%20b, broken",
            "list", " a, ,b "), Map.of(), warnings::add);
    assertThat(config.getMap("otel.resource.attributes"))
        .containsExactly(Map.entry("deployment.environment", "prod"), Map.entry("team", "a b"));
    assertThat(warnings).singleElement().asString().contains("broken");
    assertThat(config.getList("list", List.of())).containsExactly("a", "b");
  }
}
