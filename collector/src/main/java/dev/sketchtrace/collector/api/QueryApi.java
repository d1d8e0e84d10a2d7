package dev.sketchtrace.collector.api;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sketchtrace.collector.query.QueryService;
import dev.sketchtrace.collector.query.SpanView;
import dev.sketchtrace.collector.query.TimeRange;
import dev.sketchtrace.collector.query.TraceQuery;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thread-safe: the JSON endpoints under {@code /api/v1/}, a thin layer over {@link QueryService}.
 * Shapes are documented in collector/README.md. A bad parameter answers 400 with
 * {@code {"error": "...", "parameter": "<name>"}}. Queries run on the blocking executor, never on
 * the event loop.
 */
public final class QueryApi {
  private final QueryService query;
  private final Clock clock;

  public QueryApi(QueryService query, Clock clock) {
    this.query = query;
    this.clock = clock;
  }

  /** A handler body: reads parameters, returns the JSON document. */
  @FunctionalInterface
  interface Handler {
    Object handle(ServiceRequestContext ctx, Params params) throws BadParameterException;
  }

  private HttpResponse run(ServiceRequestContext ctx, HttpRequest req, Handler h) {
    return HttpResponse.of(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        Object body = h.handle(ctx, new Params(QueryParams.fromQueryString(ctx.query()), clock));
        if (body instanceof NotFound) return Json.error(HttpStatus.NOT_FOUND, null, ((NotFound) body).error());
        return Json.ok(body);
      } catch (BadParameterException e) {
        return Json.error(HttpStatus.BAD_REQUEST, e.parameter, e.getMessage());
      } catch (IllegalArgumentException e) {
        return Json.error(HttpStatus.BAD_REQUEST, null, e.getMessage());
      }
    }, ctx.blockingTaskExecutor()));
  }

  public HttpResponse services(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> Map.of("services", query.services()));
  }

  public HttpResponse metrics(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> Map.of("service", c.pathParam("service"), "metrics", query.metrics(c.pathParam("service"))));
  }

  public HttpResponse operations(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      TimeRange r = p.range();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("service", c.pathParam("service"));
      out.put("from", r.fromSecond() * 1000);
      out.put("to", r.toSecond() * 1000);
      out.put("buckets", query.cover(r).segments().stream()
          .map(g -> Map.of("tier", g.tier().label, "from", g.from() * 1000, "to", g.to() * 1000)).toList());
      out.put("operations", query.operations(c.pathParam("service"), p.optional("metric"), r));
      return out;
    });
  }

  public HttpResponse statements(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      TimeRange r = p.range();
      String metric = Optional.ofNullable(p.optional("metric")).orElse("db.client.operation.duration");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("service", c.pathParam("service"));
      out.put("metric", metric);
      out.put("from", r.fromSecond() * 1000);
      out.put("to", r.toSecond() * 1000);
      out.put("statements", query.statements(c.pathParam("service"), metric, r));
      return out;
    });
  }

  public HttpResponse timeSeries(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      TimeRange r = p.range();
      String stat = Optional.ofNullable(p.optional("stat")).orElse("p99");
      long step = p.durationSeconds("step", Math.max(10, r.seconds() / 60));
      if (r.seconds() / step > 10_000) throw new BadParameterException("step", "'step' gives more than 10000 points for this range");
      try {
        return query.timeSeries(p.required("service"), p.required("metric"), p.attributeFilter(), stat, r, step);
      } catch (IllegalArgumentException e) {
        throw new BadParameterException("stat", e.getMessage());
      }
    });
  }

  public HttpResponse topSql(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      String by = Optional.ofNullable(p.optional("by")).orElse("time");
      if (!by.equals("time") && !by.equals("calls")) throw new BadParameterException("by", "'by' must be time or calls");
      TimeRange r = p.range();
      String metric = Optional.ofNullable(p.optional("metric")).orElse("db.client.operation.duration");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("service", c.pathParam("service"));
      out.put("by", by);
      out.put("unit", by.equals("time") ? "ns" : "calls");
      out.put("statements", query.top(c.pathParam("service"), metric, by.equals("time"), r, p.integer("limit", 20, 1, 1000)));
      return out;
    });
  }

  public HttpResponse distinct(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> Map.of("service", c.pathParam("service"), "distinct", query.distinct(c.pathParam("service"), p.range())));
  }

  public HttpResponse traces(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      long minMs = p.integer("minDurationMs", 0, 0, Integer.MAX_VALUE);
      TraceQuery q = new TraceQuery(p.range(), p.optional("service"), p.optional("route"), minMs * 1_000_000L, p.bool("error"), p.integer("limit", 100, 1, 1000));
      return Map.of("traces", query.traces(q));
    });
  }

  public HttpResponse trace(ServiceRequestContext ctx, HttpRequest req) {
    return run(ctx, req, (c, p) -> {
      Optional<List<SpanView>> spans = query.trace(Params.traceId("traceId", c.pathParam("traceId")));
      if (spans.isEmpty()) return new NotFound("no trace " + c.pathParam("traceId"));
      return Map.of("traceId", c.pathParam("traceId"), "spans", spans.get());
    });
  }

  /** A 404 answer travels as a value so that {@link #run} stays one shape. */
  record NotFound(String error) {}
}
