package dev.sketchtrace.collector.drift;

import dev.sketchtrace.sketch.QuantileSketch;
import java.util.List;

/**
 * Immutable by contract (callers must not change the sketches after handing them over): one
 * dimension's data as consecutive equal steps, oldest first.
 *
 * @param kind what the dimension is: {@code service}, {@code route} or {@code db} (a database
 *     operation on a collection, e.g. {@code SELECT owners})
 * @param name the route or operation; the service name itself for kind {@code service}
 * @param latency one latency sketch (seconds) per step, empty where nothing was recorded; its count is
 *     the number of requests in the step
 * @param errors failed requests per step, same length as {@code latency}
 */
public record DimensionSeries(String kind, String service, String name, List<QuantileSketch> latency, long[] errors) {
  public DimensionSeries {
    latency = List.copyOf(latency);
    if (errors.length != latency.size()) {
      throw new IllegalArgumentException("errors has " + errors.length + " steps, latency " + latency.size());
    }
  }

  /** The key the report and the correlations use, e.g. {@code route shop GET /owners/{id}}. */
  public String key() {
    return kind + " " + service + (kind.equals("service") ? "" : " " + name);
  }
}
