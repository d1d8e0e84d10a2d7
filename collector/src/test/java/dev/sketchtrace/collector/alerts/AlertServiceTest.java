package dev.sketchtrace.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertServiceTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T12:00:00Z"));
  final MetricQuery query = (s, svc, r, f, t) -> OptionalDouble.of(1.0);
  static final String GOOD = AlertEngineTest.P99_RULE;
  static final String BAD = GOOD.replace("\"window\": \"1m\"", "\"window\": \"a minute\"");

  @Test
  void aBadRuleFileIsRefusedAndThePreviousRulesStay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, GOOD);
    try (AlertService s = new AlertService(clock, query, dir.resolve("data"), file)) {
      assertThat(s.engine().rules().rules()).extracting(AlertRule::name).containsExactly("p99");
      Files.writeString(file, BAD);
      assertThatThrownBy(s::reloadFile).isInstanceOf(InvalidRulesException.class).hasMessageStartingWith("rules[0].window: ");
      assertThat(s.engine().rules().rules()).extracting(AlertRule::name).containsExactly("p99");
      assertThat(s.lastLoadError()).contains("rules[0].window");
    }
  }

  @Test
  void apiRulesArePersistedAndABadStartupFileFallsBackToThem(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (AlertService s = new AlertService(clock, query, data, null)) {
      assertThatThrownBy(() -> s.replace(BAD)).isInstanceOf(InvalidRulesException.class).hasMessageStartingWith("rules[0].window: ");
      assertThat(s.engine().rules().rules()).isEmpty();
      s.replace(GOOD);
      s.engine().evaluate();
    }
    try (AlertService s = new AlertService(clock, query, data, null)) { // restart: the API rules are back
      assertThat(s.engine().rules().rules()).extracting(AlertRule::name).containsExactly("p99");
      assertThat(s.engine().statuses().get(0).lastEvaluatedMillis()).isEqualTo(clock.millis());
    }
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, BAD);
    try (AlertService s = new AlertService(clock, query, data, bad)) { // a bad file at start-up keeps running
      assertThat(s.engine().rules().rules()).extracting(AlertRule::name).containsExactly("p99");
      assertThat(s.lastLoadError()).contains("bad.json", "rules[0].window");
    }
  }
}
