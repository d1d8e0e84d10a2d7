package dev.sketchtrace.collector.alerts;

import java.util.List;

/**
 * Immutable: what one rule file (or one {@code PUT /api/v1/alerts/rules} body) holds.
 *
 * @param webhook where notifications are POSTed; null for the log only
 */
public record RuleSet(List<AlertRule> rules, String webhook) {
  public RuleSet {
    rules = List.copyOf(rules);
  }

  public static RuleSet empty() {
    return new RuleSet(List.of(), null);
  }
}
