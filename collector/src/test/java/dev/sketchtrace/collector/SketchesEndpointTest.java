package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sketchtrace.collector.query.DistinctCount;
import dev.sketchtrace.collector.query.TimeRange;
import dev.sketchtrace.collector.query.TopEntry;
import dev.sketchtrace.sketch.HyperLogLog;
import dev.sketchtrace.sketch.TopK;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/sketches} as docs/architecture.md defines it: three agents' HLL and top-K sketches
 * merge exactly — the distinct count of the union, and statement totals that add across senders —
 * and the merge is the same after the rollup into the tiers.
 */
class SketchesEndpointTest {
  @TempDir Path dir;

  private static String body(String host, long timeNanos, TopK time, TopK calls, HyperLogLog hll) {
    Base64.Encoder b64 = Base64.getEncoder();
    return "{\"resource\":{\"service.name\":\"petclinic\",\"host.name\":\"" + host + "\"},"
        + "\"timeUnixNano\":\"" + timeNanos + "\",\"intervalStartUnixNano\":\"" + (timeNanos - 10_000_000_000L) + "\","
        + "\"sketches\":["
        + "{\"metric\":\"db.client.operation.duration\",\"kind\":\"topk_time\",\"attributes\":{\"db.system\":\"postgresql\"},\"data\":\"" + b64.encodeToString(time.toBytes()) + "\"},"
        + "{\"metric\":\"db.client.operation.duration\",\"kind\":\"topk_calls\",\"attributes\":{},\"data\":\"" + b64.encodeToString(calls.toBytes()) + "\"},"
        + "{\"metric\":\"db.client.operation.duration\",\"kind\":\"hll\",\"attributes\":{},\"data\":\"" + b64.encodeToString(hll.toBytes()) + "\"}]}";
  }

  @Test
  void threeAgentsMergeTopKAndDistinctCounts() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dir)) {
      long now = System.currentTimeMillis() * 1_000_000L;
      HyperLogLog union = HyperLogLog.create();
      for (int agent = 0; agent < 3; agent++) {
        TopK time = TopK.create(0.001, 0.01, 20);
        TopK calls = TopK.create(0.001, 0.01, 20);
        HyperLogLog hll = HyperLogLog.create();
        time.add("SELECT * FROM owners WHERE id = ?", 1_000_000L * (agent + 1));
        time.add("UPDATE visits SET date = ?", 300_000L);
        calls.add("SELECT * FROM owners WHERE id = ?", 10);
        calls.add("UPDATE visits SET date = ?", 40);
        for (int u = 0; u < 5_000; u++) {
          String user = "user-" + (agent * 2_500 + u); // agents overlap by half
          hll.addString(user);
          union.addString(user);
        }
        var r = c.post("/v1/sketches", "application/json", body("h" + agent, now, time, calls, hll).getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      }
      long s = now / 1_000_000_000L;
      TimeRange range = new TimeRange(s - 600, s + 60);
      for (int pass = 0; pass < 2; pass++) {
        List<TopEntry> byTime = c.collector.query().top("petclinic", "db.client.operation.duration", true, range, 10);
        assertThat(byTime.get(0).key()).isEqualTo("SELECT * FROM owners WHERE id = ?");
        assertThat(byTime.get(0).estimate()).isEqualTo(6_000_000L);
        assertThat(byTime.get(1).estimate()).isEqualTo(900_000L);
        List<TopEntry> byCalls = c.collector.query().top("petclinic", "db.client.operation.duration", false, range, 10);
        assertThat(byCalls.get(0).key()).isEqualTo("UPDATE visits SET date = ?");
        assertThat(byCalls.get(0).estimate()).isEqualTo(120);
        List<DistinctCount> distinct = c.collector.query().distinct("petclinic", range);
        assertThat(distinct).hasSize(1);
        assertThat(distinct.get(0).estimate()).isEqualTo(union.estimate(), within(1e-9));
        assertThat(distinct.get(0).estimate()).isCloseTo(10_000, within(10_000 * 5 * union.standardError()));
        c.collector.rollupNow();
      }
      String http = c.get("/api/v1/services/petclinic/top-sql?by=calls&from=now-10m").body();
      assertThat(http).contains("\"key\":\"UPDATE visits SET date = ?\",\"estimate\":120");
    }
  }
}
