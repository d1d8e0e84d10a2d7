package dev.sketchtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.agent.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  @Test
  void theHeadSamplingBudgetDefaultsTo100TracesPerSecondAndZeroTurnsItOff() {
    assertThat(settings(Map.of()).maxTracesPerSecond).isEqualTo(100);
    assertThat(settings(Map.of("sketchtrace.traces.max-per-second", "5")).maxTracesPerSecond)
        .isEqualTo(5);
    assertThat(settings(Map.of("sketchtrace.traces.max-per-second", "0")).maxTracesPerSecond)
        .isZero();
  }

  @Test
  void theSamplerKeysStillChooseRatioAndParentRule() {
    AgentSettings s = settings(Map.of("otel.traces.sampler", "traceidratio",
        "otel.traces.sampler.arg", "0.25"));
    assertThat(s.samplerRatio).isEqualTo(0.25);
    assertThat(s.samplerParentBased).isFalse();
    assertThat(settings(Map.of()).samplerParentBased).isTrue();
  }

  private static AgentSettings settings(Map<String, String> properties) {
    return AgentSettings.from(Config.of(properties, Map.of(), warning -> {}));
  }
}
