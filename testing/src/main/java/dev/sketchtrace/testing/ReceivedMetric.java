package dev.sketchtrace.testing;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A metric as a stub receiver got it, with the string-valued attributes of its resource. */
public record ReceivedMetric(Map<String, String> resource, Metric metric) {

  public String name() {
    return metric.getName();
  }

  /**
   * The total count of the exponential-histogram points of {@code metricName} whose attributes
   * include all of {@code requiredAttributes}: DELTA points are summed; for CUMULATIVE points the
   * latest point of each series (resource + attributes) counts.
   */
  public static long histogramCount(
      List<ReceivedMetric> metrics, String metricName, Map<String, String> requiredAttributes) {
    return total(metrics, metricName, requiredAttributes, true);
  }

  /** Like {@link #histogramCount} for a Sum metric's integer or double value (rounded). */
  public static long sumValue(
      List<ReceivedMetric> metrics, String metricName, Map<String, String> requiredAttributes) {
    return total(metrics, metricName, requiredAttributes, false);
  }

  private static long total(
      List<ReceivedMetric> metrics,
      String metricName,
      Map<String, String> required,
      boolean histogram) {
    long delta = 0;
    Map<String, Long> latestCumulative = new HashMap<>();
    for (ReceivedMetric received : metrics) {
      Metric metric = received.metric();
      if (!metric.getName().equals(metricName)) {
        continue;
      }
      if (histogram && metric.hasExponentialHistogram()) {
        boolean cumulative = metric.getExponentialHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (ExponentialHistogramDataPoint point :
            metric.getExponentialHistogram().getDataPointsList()) {
          if (Attributes.containsAll(point.getAttributesList(), required)) {
            delta += add(latestCumulative, cumulative, received, point.getAttributesList(),
                point.getCount());
          }
        }
      } else if (!histogram && metric.hasSum()) {
        boolean cumulative = metric.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
          if (Attributes.containsAll(point.getAttributesList(), required)) {
            long value = point.hasAsInt() ? point.getAsInt() : Math.round(point.getAsDouble());
            delta += add(latestCumulative, cumulative, received, point.getAttributesList(), value);
          }
        }
      }
    }
    return delta + latestCumulative.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Returns what to add to the delta total; cumulative values replace the series' last value. */
  private static long add(
      Map<String, Long> latestCumulative,
      boolean cumulative,
      ReceivedMetric received,
      List<KeyValue> attributes,
      long value) {
    if (!cumulative) {
      return value;
    }
    latestCumulative.put(received.resource() + "|" + Attributes.toStringMap(attributes), value);
    return 0;
  }

  @Override
  public String toString() {
    return "metric '" + name() + "' service=" + resource.get("service.name") + " " + metric.getDataCase();
  }
}
