package dev.sketchtrace.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertRuleParserTest {
  static final String VALID =
      "{\"webhook\": \"http://127.0.0.1:9/hook\", \"rules\": ["
          + "{\"name\": \"checkout p99\", \"service\": \"shop\", \"route\": \"GET /checkout\", \"signal\": \"p99\","
          + " \"window\": \"5m\", \"warning\": 0.5, \"critical\": 1.0, \"for\": 3, \"recoverFor\": 2,"
          + " \"reminder\": \"1h\", \"labels\": {\"team\": \"payments\"}},"
          + "{\"name\": \"shop gone\", \"type\": \"absence\", \"service\": \"shop\", \"window\": \"1m\"},"
          + "{\"name\": \"rate anomaly\", \"type\": \"anomaly\", \"service\": \"shop\", \"signal\": \"rate\","
          + " \"window\": \"10m\", \"warning\": 3, \"critical\": 5, \"baselineDays\": 14}]}";

  @Test
  void readsEveryFieldAndWritesItBack() throws Exception {
    RuleSet set = AlertRuleParser.parse(VALID);
    assertThat(set.webhook()).isEqualTo("http://127.0.0.1:9/hook");
    assertThat(set.rules()).hasSize(3);
    AlertRule p99 = set.rules().get(0);
    assertThat(p99.signal()).isEqualTo(Signal.quantile(0.99));
    assertThat(p99.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p99.direction()).isEqualTo(AlertRule.Direction.ABOVE);
    assertThat(p99.forCount()).isEqualTo(3);
    assertThat(p99.recoverFor()).isEqualTo(2);
    assertThat(p99.reminder()).isEqualTo(Duration.ofHours(1));
    assertThat(p99.labels()).containsEntry("team", "payments");
    AlertRule absent = set.rules().get(1);
    assertThat(absent.type()).isEqualTo(AlertRule.Type.ABSENCE);
    assertThat(absent.signal().kind()).isEqualTo(Signal.Kind.COUNT);
    assertThat(absent.recoverFor()).isEqualTo(1);
    AlertRule anomaly = set.rules().get(2);
    assertThat(anomaly.direction()).isEqualTo(AlertRule.Direction.BOTH);
    assertThat(anomaly.baselineDays()).isEqualTo(14);

    RuleSet again = AlertRuleParser.parse(AlertRuleParser.toJson(set).toString());
    assertThat(again).isEqualTo(set);
  }

  @Test
  void rejectsBadInputNamingTheField() {
    assertField("{\"rules\": [", "(document)");
    assertField("[]", "(document)");
    assertField("{}", "rules");
    assertField("{\"rules\": [], \"webhok\": \"x\"}", "webhok");
    assertField("{\"rules\": [], \"webhook\": \"ftp://x\"}", "webhook");
    assertField(rule("\"window\": \"5 minutes\""), "rules[0].window");
    assertField(rule("\"window\": \"1s\""), "rules[0].window");
    assertField(rule("\"signal\": \"p100\""), "rules[0].signal");
    assertField(rule("\"for\": 0"), "rules[0].for");
    assertField(rule("\"for\": 1.5"), "rules[0].for");
    assertField(rule("\"critical\": 0.1"), "rules[0].critical");
    assertField(rule("\"warning\": \"high\""), "rules[0].warning");
    assertField(rule("\"direction\": \"sideways\""), "rules[0].direction");
    assertField(rule("\"treshold\": 1"), "rules[0].treshold");
    assertField(rule("\"labels\": {\"team\": 3}"), "rules[0].labels.team");
    assertField(rule("\"reminder\": \"10s\""), "rules[0].reminder");
    assertField(rule("\"baselineDays\": 3"), "rules[0].baselineDays");
    assertField("{\"rules\": [{\"service\": \"s\", \"signal\": \"rate\", \"window\": \"1m\", \"warning\": 1}]}", "rules[0].name");
    assertField("{\"rules\": [{\"name\": \"a\", \"service\": \"s\", \"signal\": \"rate\", \"window\": \"1m\"}]}", "rules[0].warning");
    assertField(
        "{\"rules\": [{\"name\": \"a\", \"type\": \"absence\", \"service\": \"s\", \"window\": \"1m\", \"warning\": 1}]}",
        "rules[0].warning");
    assertField(
        "{\"rules\": [" + ruleBody("") + ", " + ruleBody("") + "]}", "rules[1].name");
  }

  private static String ruleBody(String extra) {
    return "{\"name\": \"a\", \"service\": \"s\", \"signal\": \"p99\", \"window\": \"1m\", \"warning\": 0.5, \"critical\": 1"
        + (extra.isEmpty() ? "" : ", " + extra) + "}";
  }

  private static String rule(String extra) {
    // a later key replaces an earlier one in Jackson's tree, so the extra field overrides the default
    return "{\"rules\": [" + ruleBody(extra) + "]}";
  }

  private static void assertField(String json, String field) {
    assertThatThrownBy(() -> AlertRuleParser.parse(json))
        .isInstanceOf(InvalidRulesException.class)
        .satisfies(e -> assertThat(((InvalidRulesException) e).field()).isEqualTo(field))
        .hasMessageStartingWith(field + ": ");
  }
}
