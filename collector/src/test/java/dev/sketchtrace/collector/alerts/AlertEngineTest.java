package dev.sketchtrace.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertEngineTest {
  static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
  static final Duration STEP = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(T0);
  final List<AlertEvent> sent = new CopyOnWriteArrayList<>();
  /** What the query answers for the current window; null = no data. */
  volatile Double current = 0.1;

  final MetricQuery query = (signal, service, route, from, to) ->
      current == null ? OptionalDouble.empty() : OptionalDouble.of(current);

  static RuleSet rules(String json) throws Exception {
    return AlertRuleParser.parse(json);
  }

  static final String P99_RULE =
      "{\"rules\": [{\"name\": \"p99\", \"service\": \"shop\", \"route\": \"GET /a\", \"signal\": \"p99\","
          + " \"window\": \"1m\", \"warning\": 0.5, \"critical\": 1.0, \"for\": 3, \"recoverFor\": 3,"
          + " \"reminder\": \"10m\", \"labels\": {\"team\": \"web\"}}]}";

  AlertEngine engine(Path stateFile) throws Exception {
    AlertEngine e = new AlertEngine(clock, query, sent::add, stateFile == null ? null : new AlertStateFile(stateFile));
    e.setRules(rules(P99_RULE));
    return e;
  }

  void step(AlertEngine e, Double value) {
    current = value;
    clock.advance(STEP);
    e.evaluate();
  }

  List<String> transitions() {
    List<String> out = new ArrayList<>();
    for (AlertEvent e : sent) out.add(e.kind() + ":" + e.from() + "->" + e.to());
    return out;
  }

  @Test
  void flappingValuesDoNotFlapTheAlert() throws Exception {
    AlertEngine e = engine(null);
    for (int i = 0; i < 40; i++) step(e, i % 3 == 2 ? 0.2 : 1.5); // two bad, one good, repeated
    assertThat(sent).isEmpty();
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.OK);
  }

  @Test
  void firesAfterForCountAndRecoversAfterRecoverFor_notifyingEachTransitionOnce() throws Exception {
    AlertEngine e = engine(null);
    step(e, 1.5);
    step(e, 1.5);
    assertThat(sent).isEmpty();
    step(e, 1.5);
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");
    for (int i = 0; i < 5; i++) step(e, 1.5); // staying critical sends nothing more
    step(e, 0.1);
    step(e, 1.5); // one bad value inside the recovery streak restarts it
    step(e, 0.1);
    step(e, 0.1);
    assertThat(transitions()).hasSize(1);
    step(e, 0.1);
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL", "transition:CRITICAL->OK");
    AlertEvent fired = sent.get(0);
    assertThat(fired.labels())
        .containsEntry("alertname", "p99").containsEntry("service", "shop").containsEntry("route", "GET /a")
        .containsEntry("team", "web").containsEntry("severity", "critical");
    assertThat(fired.value()).isEqualTo(1.5);
    assertThat(e.history()).hasSize(2);
  }

  @Test
  void mixedWarningAndCriticalStreakEntersTheMildestStateSeen() throws Exception {
    AlertEngine e = engine(null);
    step(e, 1.5);
    step(e, 0.7);
    step(e, 1.5);
    assertThat(transitions()).containsExactly("transition:OK->WARNING");
    step(e, 1.5);
    step(e, 1.5);
    step(e, 1.5);
    assertThat(transitions()).containsExactly("transition:OK->WARNING", "transition:WARNING->CRITICAL");
  }

  @Test
  void remindsWhileFiringAtTheReminderInterval() throws Exception {
    AlertEngine e = engine(null);
    for (int i = 0; i < 3; i++) step(e, 1.5);
    for (int i = 0; i < 19; i++) step(e, 1.5); // 9.5 minutes later: not yet
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");
    step(e, 1.5); // 10 minutes after the transition
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL", "reminder:CRITICAL->CRITICAL");
  }

  @Test
  void noDataFiresForAnAbsenceRuleAndForAThresholdRule() throws Exception {
    AlertEngine e = new AlertEngine(clock, query, sent::add, null);
    e.setRules(rules(
        "{\"rules\": [{\"name\": \"gone\", \"type\": \"absence\", \"service\": \"shop\", \"window\": \"1m\", \"for\": 2},"
            + "{\"name\": \"rate\", \"service\": \"shop\", \"signal\": \"rate\", \"window\": \"1m\", \"direction\": \"below\","
            + " \"warning\": 1, \"for\": 2}]}"));
    step(e, 10.0);
    assertThat(sent).isEmpty();
    step(e, null);
    step(e, null);
    assertThat(transitions()).containsExactly("transition:OK->NO_DATA", "transition:OK->NO_DATA");
    assertThat(e.statuses()).extracting(AlertEngine.Status::state).containsOnly(AlertState.NO_DATA);
    assertThat(e.statuses().get(0).detail()).contains("no data");
    step(e, 10.0);
    step(e, 10.0);
    assertThat(transitions()).endsWith("transition:NO_DATA->OK", "transition:NO_DATA->OK");
  }

  @Test
  void silencesHoldNotificationsUntilTheyExpire() throws Exception {
    AlertEngine e = engine(null);
    long now = clock.millis();
    e.addSilence(
        List.of(new Silence.Matcher("service", "shop", false), new Silence.Matcher("alertname", "p.*", true)),
        now, now + Duration.ofMinutes(10).toMillis(), "deploy");
    e.addSilence(List.of(new Silence.Matcher("team", "other", false)), now, now + 1_000_000, "not matching");
    for (int i = 0; i < 3; i++) step(e, 1.5);
    assertThat(sent).isEmpty();
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.CRITICAL);
    assertThat(e.history()).singleElement().satisfies(h -> assertThat(h.silenced()).isTrue());
    for (int i = 0; i < 3; i++) step(e, 0.1);
    assertThat(sent).isEmpty();
    clock.advance(Duration.ofMinutes(10)); // silence over
    for (int i = 0; i < 3; i++) step(e, 1.5);
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");
  }

  @Test
  void expiringASilenceEndsItNow() throws Exception {
    AlertEngine e = engine(null);
    Silence s = e.addSilence(List.of(new Silence.Matcher("service", "shop", false)), clock.millis(),
        clock.millis() + 3_600_000, "");
    assertThat(e.expireSilence(s.id())).isTrue();
    assertThat(e.expireSilence("nope")).isFalse();
    for (int i = 0; i < 3; i++) step(e, 1.5);
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");
  }

  @Test
  void stateSurvivesRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("alert-state.json");
    AlertEngine first = engine(file);
    for (int i = 0; i < 3; i++) step(first, 1.5);
    step(first, 0.1); // a pending recovery streak of 1
    first.addSilence(List.of(new Silence.Matcher("team", "db", false)), clock.millis(), clock.millis() + 60_000, "x");
    first.close();
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");

    AlertEngine second = engine(file); // a new process: same file, same rules
    assertThat(second.statuses().get(0).state()).isEqualTo(AlertState.CRITICAL);
    assertThat(second.statuses().get(0).pendingStreak()).isEqualTo(1);
    assertThat(second.history()).hasSize(1);
    assertThat(second.silences()).hasSize(1);
    step(second, 1.5); // still critical: no second "fired" notification after the restart
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL");
    for (int i = 0; i < 3; i++) step(second, 0.1);
    assertThat(transitions()).containsExactly("transition:OK->CRITICAL", "transition:CRITICAL->OK");
  }

  @Test
  void replacingRulesKeepsStateOfRulesThatStay() throws Exception {
    AlertEngine e = engine(null);
    for (int i = 0; i < 3; i++) step(e, 1.5);
    e.setRules(rules(P99_RULE.replace("\"warning\": 0.5", "\"warning\": 0.6")));
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.CRITICAL);
    e.setRules(rules(P99_RULE.replace("\"name\": \"p99\"", "\"name\": \"other\"")));
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.OK);
  }

  @Test
  void aFailingQueryChangesNothing() throws Exception {
    AlertEngine e = new AlertEngine(clock, (s, svc, r, f, t) -> {
      throw new IllegalStateException("store closed");
    }, sent::add, null);
    e.setRules(rules(P99_RULE));
    for (int i = 0; i < 5; i++) {
      clock.advance(STEP);
      e.evaluate();
    }
    assertThat(sent).isEmpty();
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.OK);
    assertThat(e.statuses().get(0).detail()).contains("store closed");
  }

  @Test
  void anomalyUsesTheSameHourOfPreviousDaysWhenThereIsHistory() throws Exception {
    // previous days at this hour: ~100 ± 5; the trailing windows today: ~300 (a daily peak would fool them)
    Map<Long, Double> days = Map.of(1L, 95.0, 2L, 105.0, 3L, 100.0, 4L, 98.0, 5L, 102.0);
    MetricQuery q = (signal, service, route, from, to) -> {
      long daysBack = Duration.between(to, clock.instant()).toDays();
      if (Duration.between(to, clock.instant()).toHours() % 24 == 0 && days.containsKey(daysBack)) {
        return OptionalDouble.of(days.get(daysBack));
      }
      if (daysBack == 0 && !to.equals(clock.instant())) return OptionalDouble.of(300.0);
      return to.equals(clock.instant()) ? OptionalDouble.of(current) : OptionalDouble.empty();
    };
    AlertEngine e = new AlertEngine(clock, q, sent::add, null);
    e.setRules(rules("{\"rules\": [{\"name\": \"rate\", \"type\": \"anomaly\", \"service\": \"shop\", \"signal\": \"rate\","
        + " \"window\": \"10m\", \"warning\": 3, \"critical\": 6, \"for\": 1}]}"));
    step(e, 101.0);
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.OK);
    assertThat(e.statuses().get(0).detail()).contains("same-hour", "5 windows");
    step(e, 130.0); // (130 - 100) / 3.8 ≈ 7.9 σ
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.CRITICAL);
  }

  @Test
  void anomalyFallsBackToTheTrailingWindowWithoutHistory() throws Exception {
    MetricQuery q = (signal, service, route, from, to) -> {
      if (to.equals(clock.instant())) return OptionalDouble.of(current);
      if (Duration.between(to, clock.instant()).toHours() >= 23) return OptionalDouble.empty();
      long i = Duration.between(to, clock.instant()).toMinutes() / 10;
      return OptionalDouble.of(i % 2 == 0 ? 0.20 : 0.22); // trailing windows: 0.21 ± 0.01
    };
    AlertEngine e = new AlertEngine(clock, q, sent::add, null);
    e.setRules(rules("{\"rules\": [{\"name\": \"lat\", \"type\": \"anomaly\", \"service\": \"shop\", \"signal\": \"p99\","
        + " \"window\": \"10m\", \"direction\": \"above\", \"warning\": 3, \"for\": 1}]}"));
    step(e, 0.19); // below the mean: direction above ignores it
    assertThat(e.statuses().get(0).state()).isEqualTo(AlertState.OK);
    assertThat(e.statuses().get(0).detail()).contains("trailing", "12 windows");
    step(e, 0.30);
    assertThat(transitions()).containsExactly("transition:OK->WARNING");
  }
}
