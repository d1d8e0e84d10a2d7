package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoverTest {
  private static final long NOW = 1_800_000_000L; // a multiple of 3600

  @Test
  void coarseInsideFineAtTheEdgesWithoutGapsOrOverlap() {
    long from = NOW - 3_600 - 1_354; // 1 h 22 min 34 s ago
    long to = NOW + 147;
    Cover c = Cover.of(from, to, NOW);
    List<Cover.Segment> s = c.segments();
    assertThat(s.get(0).from()).isEqualTo(from / 10 * 10);
    assertThat(s.get(s.size() - 1).to()).isEqualTo((to + 9) / 10 * 10);
    for (int i = 1; i < s.size(); i++) assertThat(s.get(i).from()).isEqualTo(s.get(i - 1).to());
    for (Cover.Segment g : s) {
      assertThat(g.from() % g.tier().widthSeconds).isZero();
      assertThat(g.to() % g.tier().widthSeconds).isZero();
    }
    assertThat(s).extracting(Cover.Segment::tier).contains(Tier.ONE_HOUR, Tier.TEN_MINUTES, Tier.ONE_MINUTE, Tier.TEN_SECONDS);
    long buckets = s.stream().mapToLong(g -> (g.to() - g.from()) / g.tier().widthSeconds).sum();
    assertThat(buckets).isLessThan(40);
  }

  @Test
  void expiredFineTiersAreNotUsed() {
    Cover c = Cover.of(NOW - 86_400 * 10 - 5, NOW - 86_400 * 9, NOW); // older than 7 days
    assertThat(c.segments()).extracting(Cover.Segment::tier).doesNotContain(Tier.TEN_SECONDS, Tier.ONE_MINUTE);
    assertThat(c.seconds()).isGreaterThanOrEqualTo(86_400 + 5);
  }
}
