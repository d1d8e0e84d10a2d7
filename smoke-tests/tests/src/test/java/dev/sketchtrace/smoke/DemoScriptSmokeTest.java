package dev.sketchtrace.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code ./demo.sh}, in its non-interactive mode on free ports: it
 * must start everything, drive traffic, and print a summary in which the injected slowdown of the
 * report query shows up as drift. Uses the jars the reactor built (the script only builds missing
 * ones).
 */
class DemoScriptSmokeTest {

  @Test
  void demoRunsAndItsSummaryShowsTheInjectedSlowdown(@TempDir Path data) throws IOException, InterruptedException {
    Path script = AgentJvm.projectRoot().resolve("demo.sh");
    Path output = data.resolve("demo-output.txt");
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--ci", "--duration", "30")
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("SKETCHTRACE_DEMO_DATA", data.resolve("demo-data").toString());
    builder.environment().put("SKETCHTRACE_DEMO_OTLP_PORT", Integer.toString(SampleApps.freePort()));
    builder.environment().put("SKETCHTRACE_DEMO_GRPC_PORT", Integer.toString(SampleApps.freePort()));
    builder.environment().put("SKETCHTRACE_DEMO_API_PORT", Integer.toString(SampleApps.freePort()));
    builder.environment().put("SKETCHTRACE_DEMO_SHOP_PORT", Integer.toString(SampleApps.freePort()));
    builder.environment().put("SKETCHTRACE_DEMO_INVENTORY_PORT", Integer.toString(SampleApps.freePort()));
    Process demo = builder.start();
    boolean exited = demo.waitFor(8, TimeUnit.MINUTES);
    if (!exited) {
      demo.destroy(); // demo.sh's trap stops its children
      demo.waitFor(30, TimeUnit.SECONDS);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(exited).as("demo.sh --ci finished; output:%n%s", text).isTrue();
    assertThat(demo.exitValue()).as("exit status; output:%n%s", text).isZero();
    assertThat(text)
        .contains("slowdown injected")
        .contains("== Top routes of shop")
        .contains("GET /products/{id}")
        .contains("== Top routes of inventory")
        .contains("== Top SQL of shop by total time")
        .contains("SLEEP_MS")
        .contains("== What drifted")
        .containsPattern("shop: .*/reports/sales.*x\\)")
        .contains("Dashboard: http://127.0.0.1:");
  }
}
