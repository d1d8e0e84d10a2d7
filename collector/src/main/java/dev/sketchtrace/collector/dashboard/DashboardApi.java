package dev.sketchtrace.collector.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.alerts.AlertEngine;
import dev.sketchtrace.collector.alerts.AlertRuleParser;
import dev.sketchtrace.collector.alerts.AlertService;
import dev.sketchtrace.collector.alerts.Durations;
import dev.sketchtrace.collector.alerts.InvalidRulesException;
import dev.sketchtrace.collector.alerts.Silence;
import dev.sketchtrace.collector.drift.DriftAnalyzer;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.query.SpanView;
import dev.sketchtrace.collector.query.TimeRange;
import dev.sketchtrace.collector.query.TraceQuery;
import dev.sketchtrace.collector.query.TraceSummary;
import dev.sketchtrace.sketch.QuantileSketch;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP face of the dashboard, drift and alerts on the API port, next to the query API:
 *
 * <ul>
 *   <li>{@code GET /api/v1/overview} and {@code GET /api/v1/live} (server-sent events, event
 *       {@code overview});
 *   <li>{@code GET /api/v1/distribution?service=&route=&metric=&from=&to=}: the merged sketch's buckets;
 *   <li>{@code GET /api/v1/statement-traces?service=&statement=&from=&to=}: traces that ran a SQL
 *       statement (its sanitized text, as top SQL ranks it);
 *   <li>{@code GET /api/v1/trace-events/{traceId}}: the span events (exceptions) of a trace, by span id;
 *   <li>{@code GET /api/v1/drift?window=5m};
 *   <li>{@code GET /api/v1/alerts}; {@code GET|PUT /api/v1/alerts/rules};
 *       {@code POST /api/v1/alerts/rules/reload}; {@code POST /api/v1/alerts/silences};
 *       {@code DELETE /api/v1/alerts/silences/{id}}.
 * </ul>
 *
 * A bad parameter or body answers 400 with {@code {"error": "...", "field": "<name>"}}. Work that
 * reads the store runs on the blocking executor. Thread-safe.
 */
public final class DashboardApi {
  private final Overview overview;
  private final LiveFeed live;
  private final SeriesSketches sketches;
  private final DriftAnalyzer drift;
  private final AlertService alerts;
  private final QueryService query;
  private final SpanEvents events;
  private final Clock clock;

  public DashboardApi(Overview overview, LiveFeed live, SeriesSketches sketches, DriftAnalyzer drift, AlertService alerts,
      QueryService query, SpanEvents events, Clock clock) {
    this.query = query;
    this.events = events;
    this.overview = overview;
    this.live = live;
    this.sketches = sketches;
    this.drift = drift;
    this.alerts = alerts;
    this.clock = clock;
  }

  /** Adds the routes; call before the collector's catch-all static file service is reached. */
  public void register(ServerBuilder sb) {
    sb.route().get("/api/v1/overview").build((ctx, req) -> blocking(ctx, () -> JsonAnswers.ok(overview.snapshot())));
    sb.route().get("/api/v1/live").build((ctx, req) -> live.subscribe(ctx));
    sb.route().get("/api/v1/distribution").build((ctx, req) -> blocking(ctx, () -> distribution(ctx)));
    sb.route().get("/api/v1/statement-traces").build((ctx, req) -> blocking(ctx, () -> statementTraces(ctx)));
    sb.route().get("/api/v1/trace-events/{traceId}").build((ctx, req) -> blocking(ctx, () -> traceEvents(ctx)));
    sb.route().get("/api/v1/drift").build((ctx, req) -> blocking(ctx, () -> drift(ctx)));
    sb.route().get("/api/v1/alerts").build((ctx, req) -> JsonAnswers.ok(alertsView()));
    sb.route().get("/api/v1/alerts/rules").build((ctx, req) -> JsonAnswers.ok(AlertRuleParser.toJson(alerts.engine().rules())));
    sb.route().put("/api/v1/alerts/rules").build((ctx, req) -> withBody(ctx, req, this::putRules));
    sb.route().post("/api/v1/alerts/rules/reload").build((ctx, req) -> blocking(ctx, this::reload));
    sb.route().post("/api/v1/alerts/silences").build((ctx, req) -> withBody(ctx, req, this::addSilence));
    sb.route().delete("/api/v1/alerts/silences/{id}").build((ctx, req) ->
        alerts.engine().expireSilence(ctx.pathParam("id"))
            ? HttpResponse.of(HttpStatus.NO_CONTENT)
            : JsonAnswers.status(HttpStatus.NOT_FOUND, Map.of("error", "no silence " + ctx.pathParam("id"))));
  }

  @FunctionalInterface
  private interface Work {
    HttpResponse run() throws Exception;
  }

  private static HttpResponse blocking(ServiceRequestContext ctx, Work w) {
    return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
      try {
        return w.run();
      } catch (BadField e) {
        return JsonAnswers.bad(e.field, e.getMessage());
      } catch (Exception e) {
        return JsonAnswers.status(HttpStatus.INTERNAL_SERVER_ERROR, Map.of("error", String.valueOf(e)));
      }
    }, ctx.blockingTaskExecutor()));
  }

  @FunctionalInterface
  private interface BodyWork {
    HttpResponse run(String body) throws Exception;
  }

  private static HttpResponse withBody(ServiceRequestContext ctx, HttpRequest req, BodyWork w) {
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
      try {
        return w.run(agg.contentUtf8());
      } catch (BadField e) {
        return JsonAnswers.bad(e.field, e.getMessage());
      } catch (InvalidRulesException e) {
        return JsonAnswers.bad(e.field(), e.getMessage());
      } catch (Exception e) {
        return JsonAnswers.status(HttpStatus.INTERNAL_SERVER_ERROR, Map.of("error", String.valueOf(e)));
      }
    }, ctx.blockingTaskExecutor()));
  }

  /** A bad request parameter or body field. */
  static final class BadField extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    BadField(String field, String message) {
      super(field + ": " + message);
      this.field = field;
    }
  }

  // ---- distribution

  private HttpResponse distribution(ServiceRequestContext ctx) throws BadField {
    QueryParams p = QueryParams.fromQueryString(ctx.query());
    String service = p.get("service");
    if (service == null || service.isEmpty()) throw new BadField("service", "required");
    String route = p.get("route");
    String metric = p.get("metric") == null ? SeriesSketches.SERVER_DURATION : p.get("metric");
    long now = clock.millis();
    long to = time(p, "to", now, now);
    long from = time(p, "from", to - 3_600_000L, now);
    if (from >= to) throw new BadField("from", "must be before to");
    long fromSec = Math.floorDiv(from / 1000, 10) * 10;
    long toSec = Math.floorDiv(to / 1000 + 9, 10) * 10;
    long step = toSec - fromSec;
    Map<String, SeriesSketches.Steps> groups = sketches.read(
        metric,
        s -> s.identity().service().equals(service)
            && (route == null || route.isEmpty() || route.equals(SeriesSketches.routeOf(s))
                || route.equals(SeriesSketches.dbOperationOf(s)) || route.equals(s.identity().attributes().get("http.route"))),
        s -> "all", fromSec, step, 1);
    SeriesSketches.Steps st = groups.get("all");
    QuantileSketch q = st == null ? null : st.total();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", service);
    out.put("route", route);
    out.put("metric", metric);
    out.put("from", fromSec * 1000);
    out.put("to", toSec * 1000);
    List<Map<String, Object>> buckets = new ArrayList<>();
    if (q != null && !q.isEmpty()) {
      out.put("count", q.count());
      out.put("p50", q.quantile(0.5));
      out.put("p90", q.quantile(0.9));
      out.put("p99", q.quantile(0.99));
      out.put("max", q.max());
      out.put("relativeError", q.relativeError());
      if (q.zeroCount() > 0) buckets.add(bucket(0, q.zeroThreshold(), q.zeroCount()));
      long[] counts = q.positiveCounts();
      int offset = q.positiveOffset();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) continue;
        buckets.add(bucket(q.bucketLowerBound(offset + i), q.bucketLowerBound(offset + i + 1), counts[i]));
      }
    } else {
      out.put("count", 0);
    }
    out.put("buckets", buckets);
    return JsonAnswers.ok(out);
  }

  private static Map<String, Object> bucket(double lower, double upper, long count) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("lower", lower);
    b.put("upper", upper);
    b.put("count", count);
    return b;
  }

  /** Epoch millis, {@code now}, or {@code now-<duration>}. */
  static long time(QueryParams p, String name, long dflt, long now) throws BadField {
    String v = p.get(name);
    if (v == null || v.isEmpty()) return dflt;
    if (v.equals("now")) return now;
    try {
      if (v.startsWith("now-")) return now - Durations.parse(v.substring(4)).toMillis();
      long t = Long.parseLong(v);
      if (t < 0) throw new NumberFormatException();
      return t;
    } catch (IllegalArgumentException e) {
      throw new BadField(name, "must be epoch milliseconds, now or now-<duration> (e.g. now-1h); got '" + v + "'");
    }
  }

  // ---- statement -> traces

  /** Traces checked per request at most: the search is a bounded scan, not an index. */
  static final int MAX_TRACES_SCANNED = 200;

  private HttpResponse statementTraces(ServiceRequestContext ctx) throws BadField {
    QueryParams p = QueryParams.fromQueryString(ctx.query());
    String service = p.get("service");
    String statement = p.get("statement");
    if (service == null || service.isEmpty()) throw new BadField("service", "required");
    if (statement == null || statement.isEmpty()) throw new BadField("statement", "required");
    long now = clock.millis();
    long to = time(p, "to", now, now);
    long from = time(p, "from", to - 3_600_000L, now);
    if (from >= to) throw new BadField("from", "must be before to");
    TimeRange range = new TimeRange(from / 1000, to / 1000 + 1);
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    List<Map<String, Object>> found = new ArrayList<>();
    for (TraceSummary t : query.traces(new TraceQuery(range, service, null, 0, null, 1000))) {
      if (!seen.add(t.traceId())) continue;
      if (seen.size() > MAX_TRACES_SCANNED || found.size() >= 20) break;
      List<SpanView> spans = query.trace(java.util.HexFormat.of().parseHex(t.traceId())).orElse(List.of());
      for (SpanView s : spans) {
        if (statement.equals(s.attributes().get("db.query.text"))) {
          SpanView root = spans.get(0);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("traceId", t.traceId());
          m.put("root", root.name());
          m.put("startUnixNano", root.startUnixNano());
          m.put("durationNanos", root.endUnixNano() - root.startUnixNano());
          m.put("statementNanos", s.endUnixNano() - s.startUnixNano());
          found.add(m);
          break;
        }
      }
    }
    return JsonAnswers.ok(Map.of("statement", statement, "scanned", seen.size(), "traces", found));
  }

  private HttpResponse traceEvents(ServiceRequestContext ctx) throws BadField {
    String id = ctx.pathParam("traceId");
    if (id == null || !id.matches("[0-9a-fA-F]{32}")) throw new BadField("traceId", "must be 32 hex digits");
    return JsonAnswers.ok(Map.of("traceId", id, "events", events.of(java.util.HexFormat.of().parseHex(id))));
  }

  // ---- drift

  private HttpResponse drift(ServiceRequestContext ctx) throws BadField {
    QueryParams p = QueryParams.fromQueryString(ctx.query());
    Duration window = Duration.ofMinutes(5);
    String w = p.get("window");
    if (w != null && !w.isEmpty()) {
      try {
        window = Durations.parse(w);
      } catch (IllegalArgumentException e) {
        throw new BadField("window", e.getMessage());
      }
      if (window.getSeconds() < 20 || window.compareTo(Duration.ofDays(7)) > 0) {
        throw new BadField("window", "must be between 20s and 7d");
      }
    }
    return JsonAnswers.ok(drift.analyze(window));
  }

  // ---- alerts

  private Map<String, Object> alertsView() {
    AlertEngine e = alerts.engine();
    List<Map<String, Object>> rules = new ArrayList<>();
    for (AlertEngine.Status s : e.statuses()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", AlertRuleParser.toJson(s.rule()));
      m.put("state", s.state());
      m.put("since", s.sinceMillis());
      m.put("value", s.lastValue());
      m.put("detail", s.detail());
      m.put("evaluatedAt", s.lastEvaluatedMillis());
      m.put("pendingStreak", s.pendingStreak());
      m.put("pendingTarget", s.pendingTarget());
      rules.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", e.nowMillis());
    out.put("rules", rules);
    out.put("silences", e.silences());
    List<?> history = e.history();
    out.put("history", history.subList(0, Math.min(200, history.size())));
    out.put("webhook", e.rules().webhook());
    out.put("loadError", alerts.lastLoadError());
    return out;
  }

  private HttpResponse putRules(String body) throws InvalidRulesException, IOException {
    return JsonAnswers.ok(AlertRuleParser.toJson(alerts.replace(body)));
  }

  private HttpResponse reload() throws IOException {
    try {
      return JsonAnswers.ok(AlertRuleParser.toJson(alerts.reloadFile()));
    } catch (InvalidRulesException e) {
      return JsonAnswers.bad(e.field(), e.getMessage());
    }
  }

  /**
   * {@code {"matchers": [{"label": "service", "value": "shop", "regex": false}], "duration": "2h",
   * "comment": "deploy"}}; instead of {@code duration}, {@code startsAt}/{@code endsAt} in epoch millis.
   */
  private HttpResponse addSilence(String body) throws BadField {
    JsonNode root;
    try {
      root = JsonAnswers.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadField("(document)", "not valid JSON");
    }
    if (root == null || !root.isObject()) throw new BadField("(document)", "must be a JSON object");
    JsonNode ms = root.get("matchers");
    if (ms == null || !ms.isArray() || ms.isEmpty()) throw new BadField("matchers", "required, a non-empty array");
    List<Silence.Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < ms.size(); i++) {
      JsonNode m = ms.get(i);
      String at = "matchers[" + i + "]";
      if (!m.isObject()) throw new BadField(at, "must be an object");
      JsonNode label = m.get("label");
      JsonNode value = m.get("value");
      JsonNode regex = m.get("regex");
      if (label == null || !label.isTextual() || label.asText().isEmpty()) throw new BadField(at + ".label", "required, a string");
      if (value == null || !value.isTextual()) throw new BadField(at + ".value", "required, a string");
      if (regex != null && !regex.isBoolean()) throw new BadField(at + ".regex", "must be true or false");
      try {
        matchers.add(new Silence.Matcher(label.asText(), value.asText(), regex != null && regex.asBoolean()));
      } catch (IllegalArgumentException e) {
        throw new BadField(at + ".value", "not a valid regular expression: " + e.getMessage());
      }
    }
    long now = clock.millis();
    long start = millis(root, "startsAt", now);
    long end;
    JsonNode d = root.get("duration");
    if (d != null) {
      if (!d.isTextual()) throw new BadField("duration", "must be a string like 2h");
      try {
        end = start + Durations.parse(d.asText()).toMillis();
      } catch (IllegalArgumentException e) {
        throw new BadField("duration", e.getMessage());
      }
    } else {
      end = millis(root, "endsAt", -1);
      if (end < 0) throw new BadField("duration", "give duration (e.g. 2h) or endsAt");
    }
    if (end <= start) throw new BadField(d != null ? "duration" : "endsAt", "the silence must end after it starts");
    if (end <= now) throw new BadField(d != null ? "duration" : "endsAt", "the silence would already be over");
    JsonNode c = root.get("comment");
    if (c != null && !c.isTextual()) throw new BadField("comment", "must be a string");
    Silence s = alerts.engine().addSilence(matchers, start, end, c == null ? "" : c.asText());
    return JsonAnswers.status(HttpStatus.CREATED, s);
  }

  private static long millis(JsonNode root, String field, long dflt) throws BadField {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isIntegralNumber() || v.asLong() < 0) throw new BadField(field, "must be epoch milliseconds");
    return v.asLong();
  }
}
