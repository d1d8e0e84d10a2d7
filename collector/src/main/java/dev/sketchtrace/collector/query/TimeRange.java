package dev.sketchtrace.collector.query;

/** Immutable: a query window {@code [fromSecond, toSecond)} in epoch seconds. */
public record TimeRange(long fromSecond, long toSecond) {
  public TimeRange {
    if (toSecond <= fromSecond) throw new IllegalArgumentException("to must be after from");
  }

  public long seconds() {
    return toSecond - fromSecond;
  }
}
