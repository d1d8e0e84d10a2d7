package dev.sketchtrace.collector.store;

import java.time.Duration;

/**
 * The resolutions points are kept at. Every tier is built from the same raw points by exact merge,
 * so a coarse bucket equals the merge of the fine buckets it covers. Keys are grouped in
 * partitions of {@link #partitionSeconds} so that retention drops whole partitions with one range
 * delete; data therefore lives between {@code retention} and {@code retention + partition}.
 */
public enum Tier {
  TEN_SECONDS("10s", 10, Duration.ofHours(6), 3_600),
  ONE_MINUTE("1m", 60, Duration.ofDays(7), 86_400),
  TEN_MINUTES("10m", 600, Duration.ofDays(30), 86_400),
  ONE_HOUR("1h", 3_600, Duration.ofDays(365), 7 * 86_400);

  public final String label;
  public final long widthSeconds;
  public final Duration defaultRetention;
  public final long partitionSeconds;

  Tier(String label, long widthSeconds, Duration defaultRetention, long partitionSeconds) {
    this.label = label;
    this.widthSeconds = widthSeconds;
    this.defaultRetention = defaultRetention;
    this.partitionSeconds = partitionSeconds;
  }

  public long bucketStart(long epochSecond) {
    return Math.floorDiv(epochSecond, widthSeconds) * widthSeconds;
  }

  public long partitionStart(long epochSecond) {
    return Math.floorDiv(epochSecond, partitionSeconds) * partitionSeconds;
  }

  /**
   * The finest tier that answers {@code rangeSeconds} in at most {@code maxBuckets} buckets and
   * still holds data that old; the coarsest tier when none does.
   */
  public static Tier forRange(long rangeSeconds, long ageSeconds, int maxBuckets) {
    for (Tier t : values()) {
      if (rangeSeconds / t.widthSeconds <= maxBuckets && ageSeconds <= t.defaultRetention.getSeconds()) {
        return t;
      }
    }
    return ONE_HOUR;
  }
}
