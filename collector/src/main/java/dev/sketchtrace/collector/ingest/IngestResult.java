package dev.sketchtrace.collector.ingest;

/**
 * Immutable: what happened to a request that was stored: how many items were rejected (the OTLP
 * partial-success count) and why; zero and an empty message when everything was stored.
 */
public record IngestResult(long accepted, long rejected, String message) {
  public static IngestResult of(long accepted, long rejected, String message) {
    return new IngestResult(accepted, rejected, rejected == 0 ? "" : message);
  }
}
