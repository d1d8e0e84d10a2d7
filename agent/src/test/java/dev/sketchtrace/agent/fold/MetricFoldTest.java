package dev.sketchtrace.agent.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sketchtrace.sketch.HeavyHitter;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a ranked metric exports: the top-K statements alone, the rest per database in "other". */
class MetricFoldTest {
  private final SeriesKey probe = new SeriesKey();

  @Test
  void seriesOutsideTheTopKFoldIntoOneOtherSeriesPerSystemAndNamespace() {
    MetricFold fold = new MetricFold("db.client.operation.duration", 100, 1);
    record(fold, "postgresql", "shop", "SELECT hot", 50, false);
    record(fold, "postgresql", "shop", "SELECT a", 3, true);
    record(fold, "postgresql", "shop", "SELECT b", 2, false);
    record(fold, "postgresql", "billing", "SELECT c", 4, false);
    record(fold, "h2", "shop", "SELECT d", 5, true);

    List<Series> exported = fold.seriesToExport();

    Map<String, Series> byName = exported.stream().collect(Collectors.toMap(MetricFoldTest::name, s -> s));
    assertThat(byName).containsOnlyKeys(
        "SELECT hot", "other postgresql/shop", "other postgresql/billing", "other h2/shop");
    assertThat(byName.get("SELECT hot").sketch.count()).isEqualTo(50);
    assertThat(byName.get("other postgresql/shop").sketch.count()).isEqualTo(5);
    assertThat(byName.get("other postgresql/shop").errorCount).isEqualTo(3);
    assertThat(byName.get("other postgresql/billing").sketch.count()).isEqualTo(4);
    assertThat(byName.get("other h2/shop").sketch.count()).isEqualTo(5);
    // "other" says where the statements ran, never which statements: no query text, no operation.
    Series other = byName.get("other postgresql/shop");
    assertThat(other.rankingKey).isNull();
    assertThat(attributeNames(other.key))
        .containsExactly(MetricFold.OTHER_ATTRIBUTE, "db.system", "db.namespace");
  }

  @Test
  void aRankedSeriesWithoutTheGroupingAttributesFoldsIntoTheBareOtherSeries() {
    MetricFold fold = new MetricFold("ranked.duration", 100, 1);
    for (String key : new String[] {"k0", "k1", "k2"}) {
      probe.reset();
      probe.put("key", key);
      fold.series(probe, key, 0L).record(0.001, false);
      fold.rank(key, key.equals("k0") ? 1_000_000L : 1L);
    }
    for (int i = 0; i < 5; i++) {
      fold.rank("k0", 1L); // k0 leads by calls as well as by time
    }

    List<Series> exported = fold.seriesToExport();

    assertThat(exported).hasSize(2);
    Series other = exported.get(1);
    assertThat(attributeNames(other.key)).containsExactly(MetricFold.OTHER_ATTRIBUTE);
    assertThat(other.sketch.count()).isEqualTo(2);
  }

  @Test
  void callsRankedThroughTheirSeriesReachTheTopKOnceWhenTheWindowCloses() {
    MetricFold fold = new MetricFold("ranked.duration", 100, 2);
    rankThroughSeries(fold, "k0", 5, 3L);
    rankThroughSeries(fold, "k1", 2, 10L);
    assertThat(fold.isRanked()).as("nothing is ranked per event").isFalse();

    fold.seriesToExport();

    assertThat(fold.byCalls().top()).extracting(HeavyHitter::key, HeavyHitter::estimate)
        .containsExactly(tuple("k0", 5L), tuple("k1", 2L));
    assertThat(fold.byTime().top()).extracting(HeavyHitter::key, HeavyHitter::estimate)
        .containsExactly(tuple("k1", 20L), tuple("k0", 15L));
    assertThat(fold.distinctKeys().estimate()).isEqualTo(2.0, within(0.1));

    rankThroughSeries(fold, "k1", 4, 10L);
    fold.seriesToExport(); // a second window adds its own calls only (cumulative: nothing reset)

    assertThat(fold.byCalls().top()).extracting(HeavyHitter::key, HeavyHitter::estimate)
        .containsExactly(tuple("k1", 6L), tuple("k0", 5L));
  }

  @Test
  void aCallWhoseKeyIsNotItsSeriesKeyIsRankedAtOnce() {
    MetricFold fold = new MetricFold("ranked.duration", 1, 2);
    rankThroughSeries(fold, "k0", 1, 1L);
    probe.reset();
    probe.put("key", "k1");
    Series overflow = fold.series(probe, "k1", 0L); // past maxSeries: the overflow series, no key
    fold.rank(overflow, "k1", 7L);

    assertThat(fold.byTime().top()).extracting(HeavyHitter::key, HeavyHitter::estimate)
        .containsExactly(tuple("k1", 7L));
  }

  private void rankThroughSeries(MetricFold fold, String key, int calls, long nanos) {
    probe.reset();
    probe.put("key", key);
    for (int i = 0; i < calls; i++) {
      Series s = fold.series(probe, key, 0L);
      s.record(nanos / 1e9, false);
      fold.rank(s, key, nanos);
    }
  }

  private void record(MetricFold fold, String system, String namespace, String sql, int calls,
      boolean errors) {
    probe.reset();
    probe.put("db.system", system);
    probe.put("db.namespace", namespace);
    probe.put("db.operation.name", "SELECT");
    probe.put("db.query.text", sql);
    String rankingKey = sql + "@" + system + "/" + namespace;
    for (int i = 0; i < calls; i++) {
      fold.series(probe, rankingKey, 0L).record(0.001, errors && i < 3);
      fold.rank(rankingKey, 1_000L);
    }
  }

  private static String name(Series s) {
    String system = null;
    String namespace = null;
    String text = null;
    boolean other = false;
    for (int i = 0; i < s.key.size(); i++) {
      switch (s.key.key(i)) {
        case "db.system":
          system = s.key.stringValue(i);
          break;
        case "db.namespace":
          namespace = s.key.stringValue(i);
          break;
        case "db.query.text":
          text = s.key.stringValue(i);
          break;
        case MetricFold.OTHER_ATTRIBUTE:
          other = s.key.booleanValue(i);
          break;
        default:
      }
    }
    return other ? "other " + system + "/" + namespace : text;
  }

  private static List<String> attributeNames(SeriesKey key) {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      names.add(key.key(i));
    }
    return names;
  }
}
