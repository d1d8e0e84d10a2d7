package dev.sketchtrace.collector.api;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.query.OperationStats;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.query.TimeRange;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Thread-safe: {@code GET /metrics} in the Prometheus text format 0.0.4.
 *
 * <p>RED per service and operation, from the merged sketches of the last {@link #WINDOW_SECONDS}:
 * {@code sketchtrace_operation_duration_seconds} is a summary (quantiles 0.5/0.9/0.99 and the
 * window's {@code _count}/{@code _sum}), {@code sketchtrace_operation_requests_per_second} and
 * {@code sketchtrace_operation_errors_per_second} are gauges. Windowed figures rather than
 * counters keep the output correct across collector restarts and senders coming and going; the
 * collector's own health figures ({@code sketchtrace_collector_*}) are counters since start.
 */
public final class PrometheusEndpoint {
  static final long WINDOW_SECONDS = 300;

  private final QueryService query;
  private final Clock clock;
  private final Supplier<Map<String, Number>> health;

  /** {@code health} gives "metric_name{labels}" → value for the collector's own figures. */
  public PrometheusEndpoint(QueryService query, Clock clock, Supplier<Map<String, Number>> health) {
    this.query = query;
    this.clock = clock;
    this.health = health;
  }

  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(java.util.concurrent.CompletableFuture.supplyAsync(
        () -> HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), render()),
        ctx.blockingTaskExecutor()));
  }

  String render() {
    StringBuilder out = new StringBuilder(4096);
    long now = clock.millis() / 1000;
    TimeRange window = new TimeRange(now - WINDOW_SECONDS, now + 1);
    out.append("# HELP sketchtrace_operation_duration_seconds Operation duration over the last 5 minutes, from the merged sketches.\n");
    out.append("# TYPE sketchtrace_operation_duration_seconds summary\n");
    StringBuilder rates = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    for (String service : query.services()) {
      for (OperationStats op : query.operations(service, null, window)) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", service);
        labels.put("metric", op.metric());
        labels.put("operation", op.operation());
        String l = labels(labels);
        String lq = l.substring(0, l.length() - 1) + ",quantile=\"";
        out.append("sketchtrace_operation_duration_seconds").append(lq).append("0.5\"} ").append(num(op.p50())).append('\n');
        out.append("sketchtrace_operation_duration_seconds").append(lq).append("0.9\"} ").append(num(op.p90())).append('\n');
        out.append("sketchtrace_operation_duration_seconds").append(lq).append("0.95\"} ").append(num(op.p95())).append('\n');
        out.append("sketchtrace_operation_duration_seconds").append(lq).append("0.99\"} ").append(num(op.p99())).append('\n');
        out.append("sketchtrace_operation_duration_seconds_sum").append(l).append(' ').append(num(op.sum())).append('\n');
        out.append("sketchtrace_operation_duration_seconds_count").append(l).append(' ').append(op.count()).append('\n');
        rates.append("sketchtrace_operation_requests_per_second").append(l).append(' ').append(num(op.rate())).append('\n');
        errors.append("sketchtrace_operation_errors_per_second").append(l).append(' ').append(num(op.errorRate())).append('\n');
      }
    }
    out.append("# HELP sketchtrace_operation_requests_per_second Calls per second over the last 5 minutes.\n");
    out.append("# TYPE sketchtrace_operation_requests_per_second gauge\n").append(rates);
    out.append("# HELP sketchtrace_operation_errors_per_second Failed calls per second over the last 5 minutes.\n");
    out.append("# TYPE sketchtrace_operation_errors_per_second gauge\n").append(errors);
    String lastName = null;
    for (Map.Entry<String, Number> e : health.get().entrySet()) {
      String name = e.getKey().contains("{") ? e.getKey().substring(0, e.getKey().indexOf('{')) : e.getKey();
      if (!name.equals(lastName)) {
        String type = name.endsWith("_total") ? "counter" : "gauge";
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        lastName = name;
      }
      out.append(e.getKey()).append(' ').append(num(e.getValue().doubleValue())).append('\n');
    }
    return out.toString();
  }

  /** {@code {k="v",...}} with the text format's escaping. */
  public static String labels(Map<String, String> labels) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(e.getKey()).append("=\"");
      String v = e.getValue();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '\\') b.append("\\\\");
        else if (c == '"') b.append("\\\"");
        else if (c == '\n') b.append("\\n");
        else b.append(c);
      }
      b.append('"');
    }
    return b.append('}').toString();
  }

  private static String num(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }
}
