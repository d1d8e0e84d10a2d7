package dev.sketchtrace.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DriftTest {

  private static QuantileSketch logNormal(SplittableRandom r, int n, double mu, double sigma) {
    QuantileSketch s = QuantileSketch.forLatencies();
    for (int i = 0; i < n; i++) {
      s.add(Math.exp(mu + sigma * QuantileSketchTest.gaussian(r)));
    }
    return s;
  }

  @Test
  void sameDistributionIsStableAndAShiftIsChanged() {
    SplittableRandom r = new SplittableRandom(1);
    QuantileSketch before = logNormal(r, 20_000, 3, 0.5);
    QuantileSketch same = logNormal(r, 20_000, 3, 0.5);
    QuantileSketch slower = logNormal(r, 20_000, 3.4, 0.5);
    DimensionDrift stable = Drift.compare("GET /a", same, before, DriftThresholds.defaults());
    assertThat(stable.verdict()).isEqualTo(DimensionDrift.Verdict.STABLE);
    assertThat(stable.ksDistance()).isLessThan(0.03);
    assertThat(stable.psi()).isLessThan(0.02);
    DimensionDrift changed = Drift.compare("GET /a", slower, before, DriftThresholds.defaults());
    assertThat(changed.verdict()).isEqualTo(DimensionDrift.Verdict.CHANGED);
    assertThat(changed.p50Change()).isBetween(0.40, 0.55); // e^0.4 - 1 = 0.49
    assertThat(changed.ksDistance()).isGreaterThan(0.25);
    assertThat(changed.psi()).isGreaterThan(0.2);
    assertThat(changed.reasons()).isNotEmpty();
    DimensionDrift few = Drift.compare("x", logNormal(r, 5, 3, 1), before, DriftThresholds.defaults());
    assertThat(few.verdict()).isEqualTo(DimensionDrift.Verdict.INSUFFICIENT_DATA);
  }

  @Test
  void ksOfIdenticalSketchesIsZeroAndOfDisjointOnesIsOne() {
    QuantileSketch a = QuantileSketch.forLatencies();
    QuantileSketch b = QuantileSketch.forLatencies();
    for (int i = 1; i <= 100; i++) {
      a.add(i);
      b.add(i + 1000);
    }
    assertThat(Drift.ksDistance(a, a.copy())).isZero();
    assertThat(Drift.ksDistance(a, b)).isEqualTo(1.0);
    QuantileSketch coarse = QuantileSketch.create(2, 2048);
    for (int i = 1; i <= 100; i++) {
      coarse.add(i);
    }
    assertThat(Drift.ksDistance(a, coarse)).isZero(); // aligned to the common scale first
    assertThat(Drift.ksDistance(a, QuantileSketch.forLatencies())).isNaN();
  }

  @Test
  void analyzeWindowsAndFindDimensionsThatMoveTogether() {
    AtomicLong clock = new AtomicLong(0);
    Map<String, SlidingWindow<QuantileSketch>> windows = new LinkedHashMap<>();
    for (String name : new String[] {"api", "db", "cache"}) {
      windows.put(name, SlidingWindow.ofQuantiles(Duration.ofMinutes(5), 10, clock::get));
    }
    SplittableRandom r = new SplittableRandom(2);
    for (int slot = 0; slot < 20; slot++) {
      clock.set(slot * 30_000L + 1);
      double load = 1 + 0.5 * Math.sin(slot / 2.0) + (slot >= 10 ? 0.8 : 0);
      for (int i = 0; i < 300; i++) {
        windows.get("db").live().add(10 * load * Math.exp(0.1 * QuantileSketchTest.gaussian(r)));
        windows.get("api").live().add(20 + 30 * load * Math.exp(0.1 * QuantileSketchTest.gaussian(r)));
        windows.get("cache").live().add(1 + 0.1 * r.nextDouble());
      }
    }
    Drift drift = Drift.analyze(windows, DriftThresholds.defaults());
    assertThat(drift.dimension("db").changed()).isTrue();
    assertThat(drift.dimension("api").changed()).isTrue();
    assertThat(drift.dimension("cache").verdict()).isEqualTo(DimensionDrift.Verdict.STABLE);
    List<Correlation> c = drift.correlations();
    assertThat(c).isNotEmpty();
    assertThat(c.get(0).first()).isEqualTo("api");
    assertThat(c.get(0).second()).isEqualTo("db");
    assertThat(c.get(0).coefficient()).isGreaterThan(0.95);
    assertThat(c.get(0).points()).isEqualTo(20);
    assertThat(c).noneMatch(x -> x.first().equals("cache") || x.second().equals("cache"));
  }

  @Test
  void correlateSortsStrongestFirstAndSkipsConstantSeries() {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("a", new double[] {1, 2, 3, 4, 5});
    s.put("b", new double[] {2, 4, 6, 8, 11});
    s.put("c", new double[] {5, 4, 3, 2, 1});
    s.put("flat", new double[] {1, 1, 1, 1, 1});
    s.put("gappy", new double[] {Double.NaN, 1, Double.NaN, Double.NaN, 2});
    List<Correlation> c = Drift.correlate(s, 0.5);
    assertThat(c).extracting(Correlation::coefficient).first().isEqualTo(-1.0);
    assertThat(c).hasSize(3);
    assertThat(c).noneMatch(x -> x.first().equals("flat") || x.second().equals("flat") || x.second().equals("gappy"));
  }
}
