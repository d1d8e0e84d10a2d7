package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * The trace search over index records (one per request and start-time window) answers exactly what
 * a scan of every span would: the newest matches in the range, newest first, each span once —
 * including spans of one request spread over many windows and entries written by earlier
 * collectors (one per span).
 */
class SpanStoreSearchTest {
  private static final long SECOND = 1_000_000_000L;
  @TempDir Path dir;

  private static SpanStore.SpanSummary span(int i, long start, String route, boolean error) {
    byte[] trace = ByteBuffer.allocate(16).putLong(1).putLong(i).array();
    byte[] id = ByteBuffer.allocate(8).putLong(i + 1).array();
    return new SpanStore.SpanSummary(trace, id, "svc" + (i % 3), "op " + route, route, start, 1_000L * i, error, i % 2 == 0);
  }

  private static List<SpanStore.SpanSummary> expected(List<SpanStore.SpanSummary> all, long from, long to, Predicate<SpanStore.SpanSummary> m, int limit) {
    return all.stream().filter(s -> s.startUnixNano() >= from && s.startUnixNano() < to && m.test(s))
        .sorted(Comparator.comparingLong(SpanStore.SpanSummary::startUnixNano).thenComparingLong(s -> ByteBuffer.wrap(s.traceId()).getLong(8)).reversed())
        .limit(limit).toList();
  }

  private static List<String> ids(List<SpanStore.SpanSummary> spans) {
    return spans.stream().map(s -> ByteBuffer.wrap(s.traceId()).getLong(8) + "@" + s.startUnixNano() + " " + s.service() + " " + s.route()
        + " " + s.durationNanos() + " " + s.error() + " " + s.root()).toList();
  }

  @Test
  void searchAnswersAsAScanOfEverySpanWouldAcrossRequestsWindowsAndTheEarlierLayout() throws Exception {
    Random random = new Random(7);
    long base = 1_800_000_000L * SECOND;
    List<SpanStore.SpanSummary> all = new ArrayList<>();
    try (Database db = new Database(dir)) {
      SpanStore store = new SpanStore(db, Long.MAX_VALUE, Long.MAX_VALUE / 2, Clock.systemUTC());
      int i = 0;
      for (int request = 0; request < 40; request++) {
        List<SpanStore.NewSpan> spans = new ArrayList<>();
        int n = 1 + random.nextInt(60);
        long first = base + random.nextInt(600) * SECOND;
        for (int k = 0; k < n; k++, i++) {
          // most spans within a few seconds of each other, some far apart (other windows)
          long start = first + (random.nextInt(10) == 0 ? random.nextInt(300) * SECOND : random.nextInt(3_000_000) * 1_000L);
          SpanStore.SpanSummary s = span(i, start, "/r" + random.nextInt(4), random.nextInt(5) == 0);
          all.add(s);
          spans.add(new SpanStore.NewSpan(s, new byte[] {8, 1}, 0, 2));
        }
        try (WriteBatch b = new WriteBatch()) {
          store.append(b, spans);
          db.writeDurably(b, () -> {}).join();
        }
      }
      // entries as an earlier collector wrote them: one per span
      try (WriteBatch b = new WriteBatch()) {
        for (int k = 0; k < 50; k++, i++) {
          SpanStore.SpanSummary s = span(i, base + random.nextInt(600) * SECOND + random.nextInt(1000), "/legacy", false);
          all.add(s);
          b.put(db.spanIndex, ByteBuffer.allocate(32).putLong(s.startUnixNano()).put(s.traceId()).put(s.spanId()).array(), legacyValue(s));
          b.put(db.spans, ByteBuffer.allocate(24).put(s.traceId()).put(s.spanId()).array(), new byte[] {0, 3, 's', 'v', 'c'});
        }
        db.writeDurably(b, () -> {}).join();
      }
      // a request sent twice (the answer to the first was lost): its spans are listed once
      SpanStore.SpanSummary again = all.get(3);
      try (WriteBatch b = new WriteBatch()) {
        store.append(b, List.of(new SpanStore.NewSpan(again, new byte[0], 0, 0)));
        db.writeDurably(b, () -> {}).join();
      }

      List<Predicate<SpanStore.SpanSummary>> matches = List.of(
          s -> true, s -> s.route().equals("/r1"), SpanStore.SpanSummary::error, s -> s.route().equals("/legacy"), s -> false);
      for (Predicate<SpanStore.SpanSummary> m : matches) {
        for (int q = 0; q < 30; q++) {
          long from = base + (random.nextInt(700) - 50) * SECOND + random.nextInt(1000);
          long to = from + random.nextInt(400) * SECOND;
          int limit = 1 + random.nextInt(q < 15 ? 20 : 3000);
          assertThat(ids(store.search(from, to, m, limit, 1_000_000))).isEqualTo(ids(expected(all, from, to, m, limit)));
        }
        assertThat(ids(store.search(0, Long.MAX_VALUE, m, 100_000, 1_000_000))).isEqualTo(ids(expected(all, 0, Long.MAX_VALUE, m, 100_000)));
      }
      assertThat(store.trace(all.get(5).traceId())).hasSize(1);
      assertThat(store.trace(all.get(all.size() - 1).traceId())).singleElement().satisfies(s -> assertThat(s.service()).isEqualTo("svc"));
    }
  }

  private static byte[] legacyValue(SpanStore.SpanSummary s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF(s.service());
    out.writeUTF(s.name());
    out.writeUTF(s.route());
    out.writeLong(s.durationNanos());
    out.writeBoolean(s.error());
    out.writeBoolean(s.root());
    return bytes.toByteArray();
  }
}
