package dev.sketchtrace.collector.store;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Immutable: what makes a series one series — (service.name, metric name, kind, attribute set).
 * Explicit-bucket histograms also carry their bounds, so counts are only ever added bucket to
 * bucket. Points from every sender with the same identity merge into one series.
 */
public final class SeriesIdentity {
  /** The attribute that marks the per-metric overflow series once the cap is reached. */
  public static final String OVERFLOW_ATTRIBUTE = "otel.metric.overflow";

  private final String service;
  private final String metric;
  private final Kind kind;
  private final SortedMap<String, String> attributes;
  /** The attributes as key, value, key, value … in key order: what equals and hashCode compare. */
  private final String[] flat;
  private final double[] bounds;
  private final int hash;

  public SeriesIdentity(
      String service, String metric, Kind kind, Map<String, String> attributes, double[] bounds) {
    this(service, metric, kind, new TreeMap<>(attributes), bounds);
  }

  /**
   * Like the constructor, but takes {@code attributes} over instead of copying it — the caller
   * must not touch the map afterwards. Ingest builds one fresh map per point, so this saves a copy
   * per point.
   */
  public static SeriesIdentity adopting(String service, String metric, Kind kind, TreeMap<String, String> attributes, double[] bounds) {
    if (attributes.comparator() != null) return new SeriesIdentity(service, metric, kind, (Map<String, String>) attributes, bounds);
    return new SeriesIdentity(service, metric, kind, attributes, bounds);
  }

  private SeriesIdentity(String service, String metric, Kind kind, TreeMap<String, String> owned, double[] bounds) {
    this.service = Objects.requireNonNull(service);
    this.metric = Objects.requireNonNull(metric);
    this.kind = Objects.requireNonNull(kind);
    this.attributes = java.util.Collections.unmodifiableSortedMap(owned);
    this.flat = new String[owned.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : owned.entrySet()) {
      flat[i++] = e.getKey();
      flat[i++] = e.getValue();
    }
    this.bounds = bounds == null ? new double[0] : bounds.clone();
    this.hash = Objects.hash(service, metric, kind, java.util.Arrays.hashCode(flat), java.util.Arrays.hashCode(this.bounds));
  }

  public static SeriesIdentity overflowOf(String service, String metric, Kind kind) {
    return new SeriesIdentity(service, metric, kind, Map.of(OVERFLOW_ATTRIBUTE, "true"), null);
  }

  public String service() { return service; }
  public String metric() { return metric; }
  public Kind kind() { return kind; }
  public SortedMap<String, String> attributes() { return attributes; }
  public double[] bounds() { return bounds.clone(); }
  public boolean isOverflow() { return "true".equals(attributes.get(OVERFLOW_ATTRIBUTE)); }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof SeriesIdentity)) return false;
    SeriesIdentity that = (SeriesIdentity) o;
    return hash == that.hash
        && service.equals(that.service)
        && metric.equals(that.metric)
        && kind == that.kind
        // Both maps are sorted by key, so equal maps have equal flat arrays: one pass over two
        // arrays, no map lookups or entry iterators (this is the registry's lookup of every
        // ingested point).
        && java.util.Arrays.equals(flat, that.flat)
        && java.util.Arrays.equals(bounds, that.bounds);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return service + "/" + metric + "/" + kind.label + attributes;
  }
}
