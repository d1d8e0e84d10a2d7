package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/** Spans leave the store by age, and oldest-first when the store is over its size cap. */
class SpanStoreEvictionTest {
  @TempDir Path dir;

  private static SpanStore.SpanSummary span(int i, long startNanos) {
    byte[] trace = new byte[16];
    trace[0] = 1;
    trace[15] = (byte) i;
    byte[] id = new byte[8];
    id[7] = (byte) (i + 1);
    return new SpanStore.SpanSummary(trace, id, "svc", "op", "", startNanos, 1_000, false, true);
  }

  @Test
  void oldSpansAreEvictedByAgeAndTheRestByPressureOldestFirst() throws Exception {
    Instant now = Instant.parse("2026-11-22T00:00:00Z");
    long nowNanos = now.getEpochSecond() * 1_000_000_000L;
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    try (Database db = new Database(dir)) {
      SpanStore byAge = new SpanStore(db, Long.MAX_VALUE, 3_600_000_000_000L, clock);
      try (WriteBatch b = new WriteBatch()) {
        List<SpanStore.NewSpan> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) spans.add(new SpanStore.NewSpan(span(i, nowNanos - (10 - i) * 600_000_000_000L), new byte[100], 0, 100)); // 100..10 min ago
        byAge.append(b, spans);
        db.writeDurably(b, () -> {}).join();
      }
      byAge.evict();
      // spans started 100, 90, 80, 70 min ago are older than 1 h
      assertThat(byAge.evicted()).isEqualTo(4);
      assertThat(byAge.search(0, Long.MAX_VALUE, s -> true, 100, 1000)).hasSize(6);
      assertThat(byAge.search(0, Long.MAX_VALUE, s -> true, 100, 1000)).allMatch(s -> s.startUnixNano() >= nowNanos - 3_600_000_000_000L);

      SpanStore tiny = new SpanStore(db, 1, Long.MAX_VALUE / 2, clock);
      tiny.evict();
      assertThat(tiny.search(0, Long.MAX_VALUE, s -> true, 100, 1000)).isEmpty();
      assertThat(tiny.trace(span(9, 0).traceId())).isEmpty();
    }
  }
}
