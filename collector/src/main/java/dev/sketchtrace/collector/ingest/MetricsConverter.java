package dev.sketchtrace.collector.ingest;

import dev.sketchtrace.collector.store.Kind;
import dev.sketchtrace.collector.store.SeriesIdentity;
import dev.sketchtrace.collector.store.ValueCodec;
import dev.sketchtrace.sketch.QuantileSketch;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe (its only state is the {@link CumulativeToDelta}): validates a whole OTLP metrics
 * request and turns it into delta points. Structural errors throw {@link InvalidDataException}
 * before anything is stored; points that are well-formed but unusable (a Summary, a timestamp far
 * outside the retained range) are counted as rejected for the OTLP partial-success answer.
 */
public final class MetricsConverter {
  private static final long NANOS = 1_000_000_000L;
  static final int MAX_NAME_CHARS = 255;
  /** Points stamped further ahead than this are rejected (clock skew beyond reason). */
  private static final long MAX_FUTURE_SECONDS = 3_600;
  /** Points older than the longest retention are rejected. */
  private static final long MAX_AGE_SECONDS = 366L * 86_400;

  private final CumulativeToDelta cumulative;
  private final Clock clock;

  public MetricsConverter(CumulativeToDelta cumulative, Clock clock) {
    this.cumulative = cumulative;
    this.clock = clock;
  }

  /** Not thread-safe: the outcome of converting one request. */
  public static final class Converted {
    public final List<PendingPoint> points = new ArrayList<>();
    public final CumulativeToDelta.Staging staging = new CumulativeToDelta.Staging();
    public long rejected;
    public String rejectReason = "";

    void reject(String why) {
      rejected++;
      if (rejectReason.isEmpty()) rejectReason = why;
    }
  }

  public Converted convert(ExportMetricsServiceRequest request) throws InvalidDataException {
    Converted out = new Converted();
    long now = clock.millis() / 1000;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = Attributes.serviceName(rm.getResource().getAttributesList());
      Map<String, String> resource = Attributes.toMap(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          String name = m.getName();
          if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw new InvalidDataException("metric name must be 1.." + MAX_NAME_CHARS + " characters");
          }
          switch (m.getDataCase()) {
            case EXPONENTIAL_HISTOGRAM: {
              boolean cumulative = temporality(m.getExponentialHistogram().getAggregationTemporality(), name);
              for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                exponential(out, service, resource, name, cumulative, p, now);
              }
              break;
            }
            case HISTOGRAM: {
              boolean cumulative = temporality(m.getHistogram().getAggregationTemporality(), name);
              for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                explicit(out, service, resource, name, cumulative, p, now);
              }
              break;
            }
            case SUM: {
              boolean cumulative = temporality(m.getSum().getAggregationTemporality(), name);
              for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                sum(out, service, resource, name, cumulative, p, now);
              }
              break;
            }
            case GAUGE:
              for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                double v = number(p, name);
                SeriesIdentity id = SeriesIdentity.adopting(service, name, Kind.GAUGE, Attributes.toMap(p.getAttributesList()), null);
                Long t = time(out, p.getTimeUnixNano(), name, now);
                if (t != null && !Double.isNaN(v)) out.points.add(new PendingPoint(id, t, ValueCodec.gauge(p.getTimeUnixNano(), v)));
              }
              break;
            case SUMMARY:
              for (int i = 0; i < m.getSummary().getDataPointsCount(); i++) {
                out.reject("Summary points are not stored (send histograms)");
              }
              break;
            default:
              throw new InvalidDataException("metric " + bounded(name) + " has no data");
          }
        }
      }
    }
    return out;
  }

  private static boolean temporality(AggregationTemporality t, String name) throws InvalidDataException {
    switch (t) {
      case AGGREGATION_TEMPORALITY_DELTA: return false;
      case AGGREGATION_TEMPORALITY_CUMULATIVE: return true;
      default: throw new InvalidDataException("metric " + bounded(name) + " has no aggregation temporality");
    }
  }

  private static Long time(Converted out, long timeUnixNano, String name, long now) throws InvalidDataException {
    if (timeUnixNano <= 0) {
      throw new InvalidDataException("a point of " + bounded(name) + " has no time_unix_nano");
    }
    long sec = Long.divideUnsigned(timeUnixNano, NANOS);
    if (sec > now + MAX_FUTURE_SECONDS || sec < now - MAX_AGE_SECONDS) {
      out.reject("time_unix_nano outside the stored range (more than 1 h ahead or 1 year old)");
      return null;
    }
    return sec;
  }

  private void exponential(
      Converted out, String service, Map<String, String> resource, String name, boolean isCumulative,
      ExponentialHistogramDataPoint p, long now) throws InvalidDataException {
    if ((p.getFlags() & 1) != 0) return; // FLAG_NO_RECORDED_VALUE
    Long sec = time(out, p.getTimeUnixNano(), name, now);
    SeriesIdentity id = SeriesIdentity.adopting(service, name, Kind.EXP_HISTOGRAM, Attributes.toMap(p.getAttributesList()), null);
    ExpBuckets cur = ExpBuckets.of(p, name);
    ExpBuckets delta = cur;
    if (isCumulative) {
      CumulativeToDelta.StreamKey key = new CumulativeToDelta.StreamKey(resource, id, p.getStartTimeUnixNano());
      Object prev = cumulative.previous(key, out.staging);
      cumulative.stage(out.staging, key, cur);
      if (prev == null) {
        if (cumulative.firstPoint(key) == CumulativeToDelta.Start.BASELINE_ONLY) return;
      } else {
        delta = cur.minus((ExpBuckets) prev);
      }
    }
    if (sec == null || delta.count() == 0) return;
    QuantileSketch sketch;
    try {
      sketch = delta.toSketch(isCumulative ? Double.NaN : (p.hasMin() ? p.getMin() : Double.NaN),
          isCumulative ? Double.NaN : (p.hasMax() ? p.getMax() : Double.NaN));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidDataException("exponential histogram point of " + bounded(name) + ": " + e.getMessage());
    }
    out.points.add(new PendingPoint(id, sec, sketch.toBytes(), sketch));
  }

  private void explicit(
      Converted out, String service, Map<String, String> resource, String name, boolean isCumulative,
      HistogramDataPoint p, long now) throws InvalidDataException {
    if ((p.getFlags() & 1) != 0) return;
    Long sec = time(out, p.getTimeUnixNano(), name, now);
    int nb = p.getExplicitBoundsCount();
    if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != nb + 1) {
      throw new InvalidDataException("histogram point of " + bounded(name) + ": bucket_counts must have explicit_bounds + 1 entries");
    }
    double[] bounds = new double[nb];
    for (int i = 0; i < nb; i++) {
      bounds[i] = p.getExplicitBounds(i);
      if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new InvalidDataException("histogram point of " + bounded(name) + ": explicit_bounds must be finite and increasing");
      }
    }
    long[] counts = new long[p.getBucketCountsCount()];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = p.getBucketCounts(i);
      if (counts[i] < 0) throw new InvalidDataException("histogram point of " + bounded(name) + ": bucket count overflows int64");
      total = addExact(total, counts[i], name);
    }
    if (counts.length > 0 && total != p.getCount()) {
      throw new InvalidDataException("histogram point of " + bounded(name) + ": count " + p.getCount() + " != sum of bucket_counts " + total);
    }
    double sum = p.hasSum() ? p.getSum() : 0.0;
    if (!Double.isFinite(sum)) throw new InvalidDataException("histogram point of " + bounded(name) + ": sum is not finite");
    SeriesIdentity id = SeriesIdentity.adopting(service, name, Kind.EXPLICIT_HISTOGRAM, Attributes.toMap(p.getAttributesList()), bounds);
    ValueCodec.ExplicitHistogram cur = new ValueCodec.ExplicitHistogram(
        counts, sum, p.hasMin() ? p.getMin() : Double.NaN, p.hasMax() ? p.getMax() : Double.NaN);
    ValueCodec.ExplicitHistogram delta = cur;
    if (isCumulative) {
      CumulativeToDelta.StreamKey key = new CumulativeToDelta.StreamKey(resource, id, p.getStartTimeUnixNano());
      Object prev = cumulative.previous(key, out.staging);
      cumulative.stage(out.staging, key, cur);
      if (prev == null) {
        if (cumulative.firstPoint(key) == CumulativeToDelta.Start.BASELINE_ONLY) return;
      } else {
        ValueCodec.ExplicitHistogram pr = (ValueCodec.ExplicitHistogram) prev;
        long[] d = new long[counts.length];
        boolean reset = pr.counts().length != counts.length;
        for (int i = 0; i < d.length && !reset; i++) {
          d[i] = counts[i] - pr.counts()[i];
          reset = d[i] < 0;
        }
        delta = reset ? cur : new ValueCodec.ExplicitHistogram(d, sum - pr.sum(), Double.NaN, Double.NaN);
      }
    }
    if (sec == null || (counts.length > 0 && delta.count() == 0)) return;
    out.points.add(new PendingPoint(id, sec, delta.encode()));
  }

  private void sum(
      Converted out, String service, Map<String, String> resource, String name, boolean isCumulative,
      NumberDataPoint p, long now) throws InvalidDataException {
    if ((p.getFlags() & 1) != 0) return;
    double v = number(p, name);
    Long sec = time(out, p.getTimeUnixNano(), name, now);
    SeriesIdentity id = SeriesIdentity.adopting(service, name, Kind.SUM, Attributes.toMap(p.getAttributesList()), null);
    double delta = v;
    if (isCumulative) {
      CumulativeToDelta.StreamKey key = new CumulativeToDelta.StreamKey(resource, id, p.getStartTimeUnixNano());
      Object prev = cumulative.previous(key, out.staging);
      cumulative.stage(out.staging, key, v);
      if (prev == null) {
        if (cumulative.firstPoint(key) == CumulativeToDelta.Start.BASELINE_ONLY) return;
      } else {
        double pv = (Double) prev;
        delta = v >= pv ? v - pv : v;
      }
    }
    if (sec == null || Double.isNaN(delta)) return;
    out.points.add(new PendingPoint(id, sec, ValueCodec.sum(delta)));
  }

  private static double number(NumberDataPoint p, String name) throws InvalidDataException {
    switch (p.getValueCase()) {
      case AS_DOUBLE: {
        double v = p.getAsDouble();
        if (Double.isInfinite(v)) throw new InvalidDataException("a point of " + bounded(name) + " is infinite");
        return v;
      }
      case AS_INT: return p.getAsInt();
      default: throw new InvalidDataException("a point of " + bounded(name) + " has no value");
    }
  }

  static long addExact(long a, long b, String name) throws InvalidDataException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new InvalidDataException("counts of " + bounded(name) + " overflow int64");
    }
  }

  static String bounded(String s) {
    return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "…'";
  }
}
