package dev.sketchtrace.collector.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the rule format (JSON; Jackson is already the collector's JSON library, so the
 * format costs no extra dependency). Every field is validated and the first bad one is reported by
 * its path ({@code rules[1].window: must be a duration ...}); unknown fields are errors too, so a typo
 * never silently disables a threshold. Stateless and thread-safe.
 *
 * <pre>{@code
 * {"webhook": "http://127.0.0.1:9000/hook",
 *  "rules": [{"name": "checkout p99", "type": "threshold", "service": "shop", "route": "GET /checkout",
 *             "signal": "p99", "window": "5m", "direction": "above", "warning": 0.5, "critical": 1.0,
 *             "for": 3, "recoverFor": 3, "reminder": "1h", "labels": {"team": "payments"}}]}
 * }</pre>
 */
public final class AlertRuleParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_FIELDS = Set.of("rules", "webhook");
  private static final Set<String> RULE_FIELDS =
      Set.of(
          "name", "type", "service", "route", "signal", "window", "direction", "warning", "critical",
          "for", "recoverFor", "reminder", "baselineDays", "labels");
  static final int MAX_RULES = 1000;
  static final int MAX_FOR = 1000;

  private AlertRuleParser() {}

  public static RuleSet parse(String json) throws InvalidRulesException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRulesException(
          "(document)", "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRulesException("(document)", "must be a JSON object with a \"rules\" array");
    }
    unknownFields(root, TOP_FIELDS, "");
    String webhook = null;
    JsonNode hook = root.get("webhook");
    if (hook != null && !hook.isNull()) {
      webhook = text(hook, "webhook");
      try {
        URI u = URI.create(webhook);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidRulesException("webhook", "must be an http:// or https:// URL, got '" + webhook + "'");
      }
    }
    JsonNode rulesNode = root.get("rules");
    if (rulesNode == null || !rulesNode.isArray()) {
      throw new InvalidRulesException("rules", "required, an array of rule objects");
    }
    if (rulesNode.size() > MAX_RULES) {
      throw new InvalidRulesException("rules", "at most " + MAX_RULES + " rules, got " + rulesNode.size());
    }
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      AlertRule r = rule(rulesNode.get(i), "rules[" + i + "]");
      if (!names.add(r.name())) {
        throw new InvalidRulesException("rules[" + i + "].name", "duplicate rule name '" + r.name() + "'");
      }
      rules.add(r);
    }
    return new RuleSet(rules, webhook);
  }

  private static AlertRule rule(JsonNode n, String at) throws InvalidRulesException {
    if (!n.isObject()) throw new InvalidRulesException(at, "must be an object");
    unknownFields(n, RULE_FIELDS, at + ".");
    String name = required(n, "name", at);
    if (name.isBlank() || name.length() > 200) {
      throw new InvalidRulesException(at + ".name", "must be 1..200 characters");
    }
    AlertRule.Type type =
        enumValue(n, "type", at, AlertRule.Type.class, AlertRule.Type.THRESHOLD);
    String service = required(n, "service", at);
    if (service.isBlank()) throw new InvalidRulesException(at + ".service", "must not be empty");
    String route = optionalText(n, "route", at);
    Signal signal;
    String signalText = optionalText(n, "signal", at);
    if (signalText == null) {
      if (type != AlertRule.Type.ABSENCE) throw new InvalidRulesException(at + ".signal", "required");
      signal = Signal.of(Signal.Kind.COUNT);
    } else {
      try {
        signal = Signal.parse(signalText);
      } catch (IllegalArgumentException e) {
        throw new InvalidRulesException(at + ".signal", e.getMessage());
      }
    }
    Duration window = duration(n, "window", at, null);
    if (window.compareTo(Duration.ofSeconds(10)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
      throw new InvalidRulesException(at + ".window", "must be between 10s and 1d, got " + Durations.format(window));
    }
    AlertRule.Direction direction =
        enumValue(
            n, "direction", at, AlertRule.Direction.class,
            type == AlertRule.Type.ANOMALY ? AlertRule.Direction.BOTH : AlertRule.Direction.ABOVE);
    double warning = number(n, "warning", at);
    double critical = number(n, "critical", at);
    switch (type) {
      case THRESHOLD:
        if (direction == AlertRule.Direction.BOTH) {
          throw new InvalidRulesException(at + ".direction", "must be above or below for a threshold rule");
        }
        if (Double.isNaN(warning) && Double.isNaN(critical)) {
          throw new InvalidRulesException(at + ".warning", "a threshold rule needs warning, critical or both");
        }
        if (!Double.isNaN(warning) && !Double.isNaN(critical)) {
          boolean ordered = direction == AlertRule.Direction.ABOVE ? warning <= critical : warning >= critical;
          if (!ordered) {
            throw new InvalidRulesException(
                at + ".critical",
                "must be " + (direction == AlertRule.Direction.ABOVE ? "at least" : "at most")
                    + " warning (" + warning + ") for direction " + lower(direction));
          }
        }
        break;
      case ANOMALY:
        if (Double.isNaN(warning) && Double.isNaN(critical)) {
          throw new InvalidRulesException(
              at + ".warning", "an anomaly rule needs warning, critical or both (in standard deviations)");
        }
        if (!Double.isNaN(warning) && warning <= 0) {
          throw new InvalidRulesException(at + ".warning", "must be a positive number of standard deviations");
        }
        if (!Double.isNaN(critical) && critical <= 0) {
          throw new InvalidRulesException(at + ".critical", "must be a positive number of standard deviations");
        }
        if (!Double.isNaN(warning) && !Double.isNaN(critical) && critical < warning) {
          throw new InvalidRulesException(at + ".critical", "must be at least warning (" + warning + ")");
        }
        break;
      case ABSENCE:
        if (!Double.isNaN(warning)) throw new InvalidRulesException(at + ".warning", "not allowed on an absence rule");
        if (!Double.isNaN(critical)) throw new InvalidRulesException(at + ".critical", "not allowed on an absence rule");
        break;
      default:
        throw new AssertionError(type);
    }
    int forCount = count(n, "for", at, 1);
    int recoverFor = count(n, "recoverFor", at, forCount);
    Duration reminder = duration(n, "reminder", at, Duration.ZERO);
    if (!reminder.isZero() && reminder.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new InvalidRulesException(at + ".reminder", "must be 0 (never) or at least 1m");
    }
    int baselineDays = 7;
    if (n.has("baselineDays")) {
      if (type != AlertRule.Type.ANOMALY) {
        throw new InvalidRulesException(at + ".baselineDays", "only allowed on an anomaly rule");
      }
      JsonNode b = n.get("baselineDays");
      if (!b.canConvertToInt() || !b.isIntegralNumber() || b.asInt() < 1 || b.asInt() > 90) {
        throw new InvalidRulesException(at + ".baselineDays", "must be an integer 1..90, got " + b);
      }
      baselineDays = b.asInt();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = n.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) throw new InvalidRulesException(at + ".labels", "must be an object of strings");
      for (Map.Entry<String, JsonNode> e : l.properties()) {
        if (!e.getValue().isTextual()) {
          throw new InvalidRulesException(at + ".labels." + e.getKey(), "must be a string");
        }
        if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_.]*")) {
          throw new InvalidRulesException(at + ".labels." + e.getKey(), "label names are [A-Za-z_][A-Za-z0-9_.]*");
        }
        labels.put(e.getKey(), e.getValue().asText());
      }
    }
    return new AlertRule(
        name, type, service, route, signal, window, direction, warning, critical, forCount,
        recoverFor, reminder, baselineDays, labels);
  }

  /** The inverse of {@link #parse}: what {@code GET /api/v1/alerts/rules} returns and what is persisted. */
  public static ObjectNode toJson(RuleSet set) {
    ObjectNode root = JSON.createObjectNode();
    if (set.webhook() != null) root.put("webhook", set.webhook());
    ArrayNode arr = root.putArray("rules");
    for (AlertRule r : set.rules()) arr.add(toJson(r));
    return root;
  }

  public static ObjectNode toJson(AlertRule r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", r.name());
    o.put("type", lower(r.type()));
    o.put("service", r.service());
    if (r.route() != null) o.put("route", r.route());
    o.put("signal", r.signal().toString());
    o.put("window", Durations.format(r.window()));
    if (r.type() != AlertRule.Type.ABSENCE) o.put("direction", lower(r.direction()));
    if (!Double.isNaN(r.warning())) o.put("warning", r.warning());
    if (!Double.isNaN(r.critical())) o.put("critical", r.critical());
    o.put("for", r.forCount());
    o.put("recoverFor", r.recoverFor());
    o.put("reminder", Durations.format(r.reminder()));
    if (r.type() == AlertRule.Type.ANOMALY) o.put("baselineDays", r.baselineDays());
    ObjectNode labels = o.putObject("labels");
    r.labels().forEach(labels::put);
    return o;
  }

  private static void unknownFields(JsonNode n, Set<String> known, String prefix) throws InvalidRulesException {
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidRulesException(prefix + f, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  private static String required(JsonNode n, String field, String at) throws InvalidRulesException {
    String v = optionalText(n, field, at);
    if (v == null) throw new InvalidRulesException(at + "." + field, "required");
    return v;
  }

  private static String optionalText(JsonNode n, String field, String at) throws InvalidRulesException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    return text(v, at + "." + field);
  }

  private static String text(JsonNode v, String path) throws InvalidRulesException {
    if (!v.isTextual()) throw new InvalidRulesException(path, "must be a string, got " + v);
    return v.asText();
  }

  private static double number(JsonNode n, String field, String at) throws InvalidRulesException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return Double.NaN;
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new InvalidRulesException(at + "." + field, "must be a finite number, got " + v);
    }
    return v.asDouble();
  }

  private static int count(JsonNode n, String field, String at, int dflt) throws InvalidRulesException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > MAX_FOR) {
      throw new InvalidRulesException(at + "." + field, "must be an integer 1.." + MAX_FOR + ", got " + v);
    }
    return v.asInt();
  }

  private static Duration duration(JsonNode n, String field, String at, Duration dflt) throws InvalidRulesException {
    String t = optionalText(n, field, at);
    if (t == null) {
      if (dflt == null) throw new InvalidRulesException(at + "." + field, "required");
      return dflt;
    }
    try {
      return Durations.parse(t);
    } catch (IllegalArgumentException e) {
      throw new InvalidRulesException(at + "." + field, e.getMessage());
    }
  }

  private static <E extends Enum<E>> E enumValue(JsonNode n, String field, String at, Class<E> type, E dflt)
      throws InvalidRulesException {
    String t = optionalText(n, field, at);
    if (t == null) return dflt;
    for (E e : type.getEnumConstants()) {
      if (lower(e).equals(t.toLowerCase(Locale.ROOT))) return e;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(lower(e));
    throw new InvalidRulesException(at + "." + field, "must be one of " + String.join(", ", names) + ", got '" + t + "'");
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
