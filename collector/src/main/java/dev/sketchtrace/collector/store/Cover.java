package dev.sketchtrace.collector.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable: a time range split into the fewest whole buckets across the tiers — the coarsest
 * buckets inside, finer ones toward the edges, down to 10 s — so a total over the range is exact
 * to 10 s and reads few buckets (1 h at an arbitrary offset: at most 5 + 18 + 10 buckets instead
 * of 60 one-minute or 360 ten-second ones). Tiers whose retention no longer reaches the range's
 * start are not used; the finest usable tier then widens the edges to its buckets.
 */
public final class Cover {
  /** Immutable: buckets {@code [from, to)} of one tier (both multiples of its width). */
  public record Segment(Tier tier, long from, long to) {}

  private final List<Segment> segments;

  private Cover(List<Segment> segments) {
    this.segments = List.copyOf(segments);
  }

  public List<Segment> segments() {
    return segments;
  }

  /** The cover of {@code [fromSecond, toSecond)} seen at {@code nowSecond} with the default retentions. */
  public static Cover of(long fromSecond, long toSecond, long nowSecond) {
    Tier[] tiers = Tier.values();
    int finest = 0;
    while (finest < tiers.length - 1 && nowSecond - fromSecond > tiers[finest].defaultRetention.getSeconds()) finest++;
    List<Segment> out = new ArrayList<>();
    into(out, fromSecond, toSecond, tiers.length - 1, finest);
    return new Cover(out);
  }

  private static void into(List<Segment> out, long from, long to, int tierIndex, int finest) {
    if (from >= to) return;
    Tier t = Tier.values()[tierIndex];
    long w = t.widthSeconds;
    if (tierIndex == finest) {
      out.add(new Segment(t, Math.floorDiv(from, w) * w, Math.floorDiv(to + w - 1, w) * w));
      return;
    }
    long a = Math.floorDiv(from + w - 1, w) * w;
    long b = Math.floorDiv(to, w) * w;
    if (a >= b) {
      into(out, from, to, tierIndex - 1, finest);
      return;
    }
    into(out, from, a, tierIndex - 1, finest);
    out.add(new Segment(t, a, b));
    into(out, b, to, tierIndex - 1, finest);
  }

  /** The seconds the cover spans (at least the range; more where the edges were widened). */
  public long seconds() {
    long s = 0;
    for (Segment g : segments) s += g.to() - g.from();
    return s;
  }
}
