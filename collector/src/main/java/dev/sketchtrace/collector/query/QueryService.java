package dev.sketchtrace.collector.query;

import dev.sketchtrace.collector.store.Cover;
import dev.sketchtrace.collector.store.Kind;
import dev.sketchtrace.collector.store.MetricStore;
import dev.sketchtrace.collector.store.Series;
import dev.sketchtrace.collector.store.SeriesRegistry;
import dev.sketchtrace.collector.store.SpanStore;
import dev.sketchtrace.collector.store.Tier;
import dev.sketchtrace.collector.store.ValueCodec;
import dev.sketchtrace.sketch.HeavyHitter;
import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.QuantileSketch;
import dev.sketchtrace.sketch.TopK;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Thread-safe: the query layer as a Java API. The JSON endpoints ({@code /api/v1/...}), the
 * Prometheus exposition and later the dashboard, drift and alerts are thin layers over it. Every
 * answer is computed from exactly merged sketches: a quantile over ten senders and an hour is the
 * quantile of the union, within the sketch's relative error.
 *
 * <p>Totals over a range read a {@link Cover}: whole coarse buckets inside the range and finer ones
 * at its edges, exact to 10 s (widened further only where fine tiers have expired).
 */
public final class QueryService {
  /** Attributes that classify the outcome of a call, not which operation it was. */
  static final Set<String> OUTCOME_ATTRIBUTES = Set.of("error.type", "http.response.status_code", "otel.status_code", "rpc.grpc.status_code");
  private static final List<String> OPERATION_ATTRIBUTES = List.of(
      "http.request.method", "http.route", "server.address", "db.system", "db.system.name",
      "db.operation.name", "db.collection.name", "db.query.summary");
  /** The sanitized SQL statement the agent puts on each of its top-K statement series. */
  static final String QUERY_TEXT = "db.query.text";
  private final MetricStore metrics;
  private final SpanStore spans;
  private final SeriesRegistry registry;
  private final Clock clock;

  public QueryService(MetricStore metrics, SpanStore spans, SeriesRegistry registry, Clock clock) {
    this.metrics = metrics;
    this.spans = spans;
    this.registry = registry;
    this.clock = clock;
  }

  /** The buckets a total over {@code range} reads: coarse inside, fine at the edges (see {@link Cover}). */
  public Cover cover(TimeRange range) {
    return Cover.of(range.fromSecond(), range.toSecond(), clock.millis() / 1000);
  }

  /** Every service that has sent metrics, sorted. */
  public List<String> services() {
    Set<String> s = new TreeSet<>();
    for (Series series : registry.all()) s.add(series.identity().service());
    return new ArrayList<>(s);
  }

  /** Every metric name of {@code service} with its kind, sorted. */
  public Map<String, String> metrics(String service) {
    Map<String, String> m = new TreeMap<>();
    for (Series s : registry.all()) {
      if (s.identity().service().equals(service)) m.put(s.identity().metric(), s.identity().kind().label);
    }
    return m;
  }

  /**
   * RED figures per operation of {@code service} over {@code range}, from every histogram metric
   * (or only {@code metric} when not null), sorted by count descending. An operation is a series'
   * attributes without the outcome attributes and without {@code db.query.text}: the agent keeps
   * one series per top-K SQL statement, and an operation is the statement kind and table they share
   * (per-statement figures are {@link #statements}).
   */
  public List<OperationStats> operations(String service, String metric, TimeRange range) {
    return summarize(service, metric, range, attrs -> {
      Map<String, String> op = new TreeMap<>(attrs);
      op.keySet().removeAll(OUTCOME_ATTRIBUTES);
      op.remove(QUERY_TEXT);
      return op;
    });
  }

  /**
   * RED figures per SQL statement of {@code service} over {@code range}: the series of
   * {@code metric} (the agent's {@code db.client.operation.duration}) grouped by their
   * {@code db.query.text} attribute, each statement's sketches merged exactly across senders,
   * tables and outcomes. The agent exports its top-K statements as their own series and folds the
   * rest into {@code db.query.text=other}, which is listed like a statement. Series without the
   * attribute are left out. Sorted by count descending; {@code operation} is the statement text.
   */
  public List<OperationStats> statements(String service, String metric, TimeRange range) {
    return summarize(service, metric, range, attrs -> {
      String text = attrs.get(QUERY_TEXT);
      return text == null ? null : Map.of(QUERY_TEXT, text);
    });
  }

  /**
   * Merges every histogram series of {@code service} (of {@code metric} when not null) over
   * {@code range} into groups keyed by {@code groupOf(attributes)} (null: series left out).
   */
  private List<OperationStats> summarize(String service, String metric, TimeRange range,
      java.util.function.Function<Map<String, String>, Map<String, String>> groupOf) {
    Cover cover = cover(range);
    Map<List<Object>, Acc> groups = new LinkedHashMap<>();
    try (MetricStore.Reader reader = metrics.reader()) {
      for (Series s : registry.all()) {
        Kind kind = s.identity().kind();
        if ((kind != Kind.EXP_HISTOGRAM && kind != Kind.EXPLICIT_HISTOGRAM) || !s.identity().service().equals(service)) continue;
        if (metric != null && !s.identity().metric().equals(metric)) continue;
        Map<String, String> opAttrs = groupOf.apply(s.identity().attributes());
        if (opAttrs == null) continue;
        boolean error = isError(s.identity().attributes());
        if (kind == Kind.EXP_HISTOGRAM) {
          QuantileSketch q = reader.totalSketch(s, cover);
          if (q == null) continue;
          groups.computeIfAbsent(List.of(s.identity().metric(), kind, opAttrs), k -> new Acc(opAttrs)).add(q, error);
        } else {
          byte[] total = reader.total(s, cover);
          if (total == null) continue;
          ValueCodec.ExplicitHistogram h = ValueCodec.ExplicitHistogram.decode(total);
          groups.computeIfAbsent(List.of(s.identity().metric(), kind, opAttrs, List.of(s.identity().bounds())), k -> new Acc(opAttrs))
              .add(s.identity().bounds(), h, error);
        }
      }
    }
    List<OperationStats> out = new ArrayList<>();
    double seconds = Math.max(1, Math.min(cover.seconds(), clock.millis() / 1000 + 1 - cover.segments().get(0).from()));
    for (Map.Entry<List<Object>, Acc> e : groups.entrySet()) {
      Acc a = e.getValue();
      String name = (String) e.getKey().get(0);
      String operation = a.attributes.containsKey(QUERY_TEXT) && a.attributes.size() == 1 ? a.attributes.get(QUERY_TEXT) : operationName(a.attributes);
      if (a.sketch != null) {
        QuantileSketch q = a.sketch;
        out.add(new OperationStats(name, operation, a.attributes, q.count(), a.errors,
            q.count() / seconds, a.errors / seconds,
            q.quantile(0.5), q.quantile(0.9), q.quantile(0.95), q.quantile(0.99), q.max(), q.sum(), "sketch"));
      } else {
        ValueCodec.ExplicitHistogram h = a.explicit;
        long count = h.count();
        out.add(new OperationStats(name, operation, a.attributes, count, a.errors,
            count / seconds, a.errors / seconds,
            interpolate(a.bounds, h, 0.5), interpolate(a.bounds, h, 0.9), interpolate(a.bounds, h, 0.95), interpolate(a.bounds, h, 0.99),
            h.max(), h.sum(), "explicit_buckets"));
      }
    }
    out.sort(Comparator.comparingLong(OperationStats::count).reversed());
    return out;
  }

  /**
   * The {@code q} quantile of an explicit-bucket histogram by linear interpolation inside the
   * bucket holding rank {@code floor(q * (count - 1))}; the outer buckets are bounded by min/max
   * when known (else by 0 and the last bound). NaN when empty.
   */
  static double interpolate(double[] bounds, ValueCodec.ExplicitHistogram h, double q) {
    long count = h.count();
    if (count == 0) return Double.NaN;
    long rank = (long) Math.floor(q * (count - 1));
    long seen = 0;
    long[] c = h.counts();
    for (int i = 0; i < c.length; i++) {
      if (c[i] == 0 || seen + c[i] <= rank) {
        seen += c[i];
        continue;
      }
      double lower = i == 0 ? (Double.isFinite(h.min()) ? h.min() : Math.min(0, bounds.length > 0 ? bounds[0] : 0)) : bounds[i - 1];
      double upper = i == bounds.length ? (Double.isFinite(h.max()) ? h.max() : (bounds.length > 0 ? bounds[bounds.length - 1] : lower)) : bounds[i];
      double fraction = (rank - seen + 0.5) / c[i];
      return lower + (upper - lower) * fraction;
    }
    return Double.NaN;
  }

  /**
   * One statistic of {@code metric} of {@code service} per step: {@code "p<N>"} / a quantile in
   * (0,1] (e.g. "0.99"), {@code "rate"} (per second), {@code "count"}, {@code "error_rate"} (errors
   * per second), {@code "max"} or {@code "mean"}. Only series whose attributes contain every entry
   * of {@code filter} are merged. The step is rounded up to a multiple of the tier width.
   */
  public TimeSeries timeSeries(String service, String metric, Map<String, String> filter, String statistic, TimeRange range, long stepSeconds) {
    double quantile = parseStatistic(statistic);
    Tier tier = Tier.ONE_HOUR;
    long age = clock.millis() / 1000 - range.fromSecond();
    for (Tier t : Tier.values()) {
      if (t.widthSeconds <= stepSeconds && age <= t.defaultRetention.getSeconds()) tier = t;
    }
    if (tier.widthSeconds > stepSeconds && age <= Tier.TEN_SECONDS.defaultRetention.getSeconds()) tier = Tier.TEN_SECONDS;
    long step = Math.max(tier.widthSeconds, (stepSeconds + tier.widthSeconds - 1) / tier.widthSeconds * tier.widthSeconds);
    long first = Math.floorDiv(range.fromSecond(), step) * step;
    int n = (int) Math.min(10_000, (range.toSecond() - first + step - 1) / step);
    QuantileSketch[] sketches = new QuantileSketch[n];
    long[] errors = new long[n];
    try (MetricStore.Reader reader = metrics.reader()) {
      for (Series s : registry.all()) {
        if (s.identity().kind() != Kind.EXP_HISTOGRAM || !s.identity().service().equals(service) || !s.identity().metric().equals(metric)) continue;
        if (!s.identity().attributes().entrySet().containsAll(filter.entrySet())) continue;
        boolean err = isError(s.identity().attributes());
        for (Map.Entry<Long, byte[]> b : reader.buckets(s, tier, first, first + (long) n * step).entrySet()) {
          int i = (int) ((b.getKey() - first) / step);
          if (i < 0 || i >= n) continue;
          QuantileSketch q = QuantileSketch.fromBytes(b.getValue());
          if (err) errors[i] += q.count();
          if (sketches[i] == null) sketches[i] = q;
          else sketches[i].merge(q);
        }
      }
    }
    List<SeriesPoint> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      QuantileSketch q = sketches[i];
      double v;
      if (q == null) v = statistic.equals("rate") || statistic.equals("count") || statistic.equals("error_rate") ? 0 : Double.NaN;
      else if (statistic.equals("rate")) v = q.count() / (double) step;
      else if (statistic.equals("count")) v = q.count();
      else if (statistic.equals("error_rate")) v = errors[i] / (double) step;
      else if (statistic.equals("max")) v = q.max();
      else if (statistic.equals("mean")) v = q.mean();
      else v = q.quantile(quantile);
      points.add(new SeriesPoint(first + (long) i * step, v));
    }
    return new TimeSeries(statistic, tier.label, step, points);
  }

  /** NaN for the non-quantile statistics; throws {@link IllegalArgumentException} for unknown ones. */
  static double parseStatistic(String statistic) {
    switch (statistic) {
      case "rate": case "count": case "error_rate": case "max": case "mean":
        return Double.NaN;
      default:
        try {
          double q = statistic.startsWith("p") ? Double.parseDouble(statistic.substring(1)) / 100 : Double.parseDouble(statistic);
          if (q > 0 && q <= 1) return q;
        } catch (NumberFormatException ignored) {
          // falls through to the error below
        }
        throw new IllegalArgumentException("unknown statistic '" + statistic + "' (p50, p99, 0.999, rate, count, error_rate, max, mean)");
    }
  }

  /**
   * Heavy hitters of the {@code topk_time} (by total nanoseconds) or {@code topk_calls} sketches of
   * {@code service} merged over the range and every series of {@code metric} (any when null).
   */
  public List<TopEntry> top(String service, String metric, boolean byTime, TimeRange range, int limit) {
    Kind kind = byTime ? Kind.TOPK_TIME : Kind.TOPK_CALLS;
    Cover cover = cover(range);
    TopK merged = null;
    try (MetricStore.Reader reader = metrics.reader()) {
      for (Series s : registry.all()) {
        if (s.identity().kind() != kind || !s.identity().service().equals(service)) continue;
        if (metric != null && !s.identity().metric().equals(metric)) continue;
        byte[] total = reader.total(s, cover);
        if (total == null) continue;
        TopK t = TopK.fromBytes(total);
        if (merged == null) merged = t;
        else merged.merge(t);
      }
    }
    List<TopEntry> out = new ArrayList<>();
    if (merged == null) return out;
    for (HeavyHitter h : merged.top()) {
      if (out.size() >= limit) break;
      out.add(new TopEntry(h.key(), h.estimate(), h.errorBound()));
    }
    return out;
  }

  /** Distinct-count estimates of every HLL series of {@code service} merged over the range. */
  public List<DistinctCount> distinct(String service, TimeRange range) {
    Cover cover = cover(range);
    List<DistinctCount> out = new ArrayList<>();
    try (MetricStore.Reader reader = metrics.reader()) {
      for (Series s : registry.all()) {
        if (s.identity().kind() != Kind.HLL || !s.identity().service().equals(service)) continue;
        byte[] total = reader.total(s, cover);
        if (total == null) continue;
        out.add(new DistinctCount(s.identity().metric(), s.identity().attributes(), HyperLogLog.fromBytes(total).estimate()));
      }
    }
    out.sort(Comparator.comparing(DistinctCount::metric));
    return out;
  }

  /** Sum of a SUM metric per series over the range (counters sent by any SDK). */
  public Map<Map<String, String>, Double> sums(String service, String metric, TimeRange range) {
    Cover cover = cover(range);
    Map<Map<String, String>, Double> out = new LinkedHashMap<>();
    try (MetricStore.Reader reader = metrics.reader()) {
      for (Series s : registry.all()) {
        if (s.identity().kind() != Kind.SUM || !s.identity().service().equals(service) || !s.identity().metric().equals(metric)) continue;
        byte[] total = reader.total(s, cover);
        if (total != null) out.put(s.identity().attributes(), ValueCodec.sumOf(total));
      }
    }
    return out;
  }

  /** Spans matching {@code q}, newest first; scans at most 200 000 index entries. */
  public List<TraceSummary> traces(TraceQuery q) {
    HexFormat hex = HexFormat.of();
    List<TraceSummary> out = new ArrayList<>();
    for (SpanStore.SpanSummary s : spans.search(
        q.range().fromSecond() * 1_000_000_000L, q.range().toSecond() * 1_000_000_000L,
        s -> (q.service() == null || q.service().isEmpty() || q.service().equals(s.service()))
            && (q.route() == null || q.route().isEmpty() || q.route().equals(s.route()) || q.route().equals(s.name()))
            && s.durationNanos() >= q.minDurationNanos()
            && (q.error() == null || q.error() == s.error()),
        q.limit(), 200_000)) {
      out.add(new TraceSummary(hex.formatHex(s.traceId()), hex.formatHex(s.spanId()), s.service(), s.name(), s.route(),
          s.startUnixNano(), s.durationNanos(), s.error(), s.root()));
    }
    return out;
  }

  /** Every stored span of the trace, by start time; empty when the trace is unknown. */
  public Optional<List<SpanView>> trace(byte[] traceId) {
    HexFormat hex = HexFormat.of();
    List<SpanView> out = new ArrayList<>();
    for (SpanStore.StoredSpan stored : spans.trace(traceId)) {
      Span s;
      try {
        s = Span.parseFrom(stored.span());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        continue; // written by this process after validation; unreadable only if the disk is corrupt
      }
      Map<String, String> attrs = new TreeMap<>();
      for (var kv : s.getAttributesList()) attrs.put(kv.getKey(), dev.sketchtrace.collector.ingest.Attributes.find(List.of(kv), kv.getKey()));
      out.add(new SpanView(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
          hex.formatHex(s.getParentSpanId().toByteArray()), stored.service(), s.getName(),
          s.getKind().name().replace("SPAN_KIND_", ""), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
          s.getStatus().getCode().name().replace("STATUS_CODE_", ""), s.getStatus().getMessage(), attrs));
    }
    out.sort(Comparator.comparingLong(SpanView::startUnixNano));
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  static boolean isError(Map<String, String> attrs) {
    String type = attrs.get("error.type");
    if (type != null && !type.isEmpty()) return true;
    String status = attrs.get("http.response.status_code");
    if (status != null) {
      try {
        return Integer.parseInt(status) >= 500;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }

  static String operationName(Map<String, String> attrs) {
    StringBuilder b = new StringBuilder();
    for (String k : OPERATION_ATTRIBUTES) {
      String v = attrs.get(k);
      if (v != null && !v.isEmpty()) {
        if (b.length() > 0) b.append(' ');
        b.append(v);
      }
    }
    if (b.length() > 0) return b.toString();
    if (attrs.isEmpty()) return "(all)";
    attrs.forEach((k, v) -> b.append(b.length() > 0 ? "," : "").append(k).append('=').append(v));
    return b.toString();
  }

  /** Not thread-safe: merges the sketches (or explicit histograms) of one operation. */
  private static final class Acc {
    final Map<String, String> attributes;
    QuantileSketch sketch;
    double[] bounds;
    ValueCodec.ExplicitHistogram explicit;
    long errors;

    void add(double[] b, ValueCodec.ExplicitHistogram h, boolean error) {
      bounds = b;
      explicit = explicit == null ? h : ValueCodec.ExplicitHistogram.decode(ValueCodec.merge(Kind.EXPLICIT_HISTOGRAM, explicit.encode(), h.encode()));
      if (error) errors += h.count();
    }

    Acc(Map<String, String> attributes) {
      this.attributes = attributes;
    }

    void add(QuantileSketch q, boolean error) {
      if (sketch == null) sketch = q;
      else sketch.merge(q);
      if (error) errors += q.count();
    }
  }
}
