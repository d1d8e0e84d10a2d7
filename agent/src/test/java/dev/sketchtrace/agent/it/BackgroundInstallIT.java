package dev.sketchtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.OtlpStubReceiver;
import dev.sketchtrace.testing.ReceivedMetric;
import dev.sketchtrace.testing.RunningJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte Buddy is installed on a background thread; a class that may be instrumented and loads
 * meanwhile waits for it. Here the app's first action is an {@code HttpURLConnection} call, made
 * while the installation is still running: the JDK class loads inside that window, waits, is
 * transformed, and the call is measured — exactly once.
 */
class BackgroundInstallIT {
  static Stream<Path> javaHomes() {
    return AgentJvm.testJavaHomes().stream();
  }

  @ParameterizedTest
  @MethodSource("javaHomes")
  void callMadeDuringInstallationIsMeasured(Path javaHome) {
    try (OtlpStubReceiver receiver = OtlpStubReceiver.start();
        RunningJvm jvm =
            AgentJvm.builder(EarlyCallApp.class.getName())
                .javaHome(javaHome)
                .classpath(ChildJvms.appClasspath())
                .exportTo(receiver)
                .systemProperty("sketchtrace.debug", "true")
                .start()) {
      assertThat(jvm.waitForExit(Duration.ofSeconds(60))).as(jvm.describe()).isZero();
      assertThat(jvm.stdout()).contains("status=200").contains("done");
      // The class really was held back for the installation (the app's call came first).
      assertThat(jvm.stderr())
          .contains("class sun/net/www/protocol/http/HttpURLConnection waited")
          .contains("installed: Byte Buddy built");
      List<ReceivedMetric> metrics =
          receiver.awaitMetrics(
              m -> ReceivedMetric.histogramCount(m, "http.client.request.duration", Map.of()) >= 1,
              Duration.ofSeconds(20));
      assertThat(ReceivedMetric.histogramCount(metrics, "http.client.request.duration", Map.of()))
          .isEqualTo(1);
    }
  }
}
