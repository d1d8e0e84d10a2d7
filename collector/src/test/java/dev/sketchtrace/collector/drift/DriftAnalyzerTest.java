package dev.sketchtrace.collector.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sketchtrace.sketch.DriftThresholds;
import dev.sketchtrace.sketch.QuantileSketch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftAnalyzerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:05Z"), ZoneOffset.UTC);

  /** Steps 0..19; the current window is steps 10..19. */
  interface Shape {
    double latencyAt(int step, Random r);
  }

  static DimensionSeries series(String kind, String name, int perStep, Shape shape, double errorShareNow) {
    Random r = new Random(name.hashCode());
    List<QuantileSketch> steps = new ArrayList<>();
    long[] errors = new long[20];
    for (int i = 0; i < 20; i++) {
      QuantileSketch s = QuantileSketch.forLatencies();
      for (int j = 0; j < perStep; j++) s.add(shape.latencyAt(i, r));
      steps.add(s);
      errors[i] = i >= 10 ? Math.round(perStep * errorShareNow) : 0;
    }
    return new DimensionSeries(kind, "shop", name, steps, errors);
  }

  static double around(double center, Random r) {
    return center * (0.8 + 0.4 * r.nextDouble());
  }

  @Test
  void ranksAnInjectedSlowdownFirstAndReportsWhatMovedWithIt() {
    // /checkout gets up to 6x slower in the current window, ramping step by step; the orders table query
    // slows with it, less (up to 3x); /home stays put; /search gets 30 % more traffic; /about has too little data
    DriftSource source = (from, step, n) -> {
      assertThat(n).isEqualTo(20);
      assertThat(step).isEqualTo(Duration.ofSeconds(30));
      return List.of(
          series("route", "GET /checkout", 200, (i, r) -> around(i < 10 ? 0.010 : 0.010 * (1 + 0.5 * (i - 9)), r), 0),
          series("db", "SELECT orders", 400, (i, r) -> around(i < 10 ? 0.002 : 0.002 * (1 + 0.2 * (i - 9)), r), 0),
          series("route", "GET /home", 300, (i, r) -> around(0.005, r), 0),
          series("route", "GET /search", 0, (i, r) -> 0, 0) /* replaced below */,
          series("route", "GET /about", 1, (i, r) -> around(0.003, r), 0));
    };
    DriftSource withSearch = (from, step, n) -> {
      List<DimensionSeries> out = new ArrayList<>(source.load(from, step, n));
      out.removeIf(d -> d.name().equals("GET /search"));
      Random r = new Random(7);
      List<QuantileSketch> steps = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        QuantileSketch s = QuantileSketch.forLatencies();
        int count = i < 10 ? 100 : 130;
        for (int j = 0; j < count; j++) s.add(around(0.02, r));
        steps.add(s);
      }
      long[] errors = new long[20];
      for (int i = 10; i < 20; i++) errors[i] = 13; // 10 % errors now
      out.add(new DimensionSeries("route", "shop", "GET /search", steps, errors));
      return out;
    };
    DriftReport report = new DriftAnalyzer(withSearch, CLOCK, DriftThresholds.defaults()).analyze(Duration.ofMinutes(5));

    assertThat(report.items()).extracting(DriftItem::name)
        .startsWith("GET /checkout")
        .endsWith("GET /about");
    DriftItem checkout = report.items().get(0);
    assertThat(checkout.verdict()).isEqualTo("CHANGED");
    assertThat(checkout.p99Change()).isGreaterThan(3);
    assertThat(checkout.p99Current()).isGreaterThan(0.045);
    assertThat(checkout.rateChange()).isCloseTo(0, within(1e-9));
    assertThat(checkout.reasons()).anyMatch(s -> s.startsWith("p99 +"));
    assertThat(checkout.movedWith()).contains("db shop SELECT orders");
    assertThat(report.coMovements())
        .anySatisfy(c -> {
          assertThat(c.first()).isEqualTo("db shop SELECT orders");
          assertThat(c.second()).isEqualTo("route shop GET /checkout");
          assertThat(c.measure()).isEqualTo("latency");
          assertThat(c.coefficient()).isGreaterThan(0.8);
        });
    // a service total never "moves with" its own routes
    assertThat(report.coMovements()).noneMatch(c -> c.first().startsWith("service shop") || c.second().startsWith("service shop"));

    DriftItem search = report.items().stream().filter(i -> i.name().equals("GET /search")).findFirst().orElseThrow();
    assertThat(search.rateChange()).isCloseTo(0.3, within(1e-9));
    assertThat(search.errorRateCurrent()).isCloseTo(0.1, within(1e-9));
    assertThat(search.errorRateChange()).isCloseTo(0.1, within(1e-9));
    assertThat(search.reasons()).contains("rate +30.0%", "error rate +10.0 points");
    assertThat(search.verdict()).isEqualTo("CHANGED");

    DriftItem home = report.items().stream().filter(i -> i.name().equals("GET /home")).findFirst().orElseThrow();
    assertThat(home.verdict()).isEqualTo("STABLE");
    assertThat(report.items().get(report.items().size() - 1).verdict()).isEqualTo("INSUFFICIENT_DATA");

    assertThat(report.services()).singleElement().satisfies(s -> {
      assertThat(s.kind()).isEqualTo("service");
      assertThat(s.ratePrevious()).isGreaterThan(0);
    });
    assertThat(report.caveat()).contains("not evidence that one caused the other");
    assertThat(report.currentToMillis() - report.currentFromMillis()).isEqualTo(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void statementsAreComparedByCallRateAndMeanTimePerCall() {
    DriftSource source = new DriftSource() {
      @Override
      public List<DimensionSeries> load(Instant from, Duration step, int steps) {
        return List.of();
      }

      @Override
      public List<StatementWindows> statements(Instant previousFrom, Instant currentFrom, Instant currentTo) {
        assertThat(Duration.between(previousFrom, currentFrom)).isEqualTo(Duration.between(currentFrom, currentTo));
        return List.of(
            new StatementWindows("shop", "SELECT * FROM orders WHERE id = ?", 1000, 1000 * 2_000_000L, 1000, 1000 * 6_000_000L),
            new StatementWindows("shop", "SELECT 1", 500, 500 * 100_000L, 510, 510 * 100_000L),
            new StatementWindows("shop", "DELETE FROM carts WHERE id = ?", 3, 3_000_000L, 0, 0));
      }
    };
    DriftReport report = new DriftAnalyzer(source, CLOCK, DriftThresholds.defaults()).analyze(Duration.ofMinutes(5));
    assertThat(report.items()).extracting(DriftItem::name)
        .containsExactly("SELECT * FROM orders WHERE id = ?", "SELECT 1", "DELETE FROM carts WHERE id = ?");
    DriftItem orders = report.items().get(0);
    assertThat(orders.kind()).isEqualTo("statement");
    assertThat(orders.meanChange()).isCloseTo(2.0, within(1e-9));
    assertThat(orders.rateChange()).isCloseTo(0, within(1e-9));
    assertThat(orders.reasons()).containsExactly("mean time +200.0%");
    assertThat(orders.verdict()).isEqualTo("CHANGED");
    assertThat(report.items().get(1).verdict()).isEqualTo("STABLE");
    assertThat(report.items().get(2).verdict()).isEqualTo("INSUFFICIENT_DATA");
  }

  @Test
  void stepIsATenthOfTheWindowInWholeTensOfSeconds() {
    assertThat(DriftAnalyzer.stepFor(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    assertThat(DriftAnalyzer.stepFor(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(10));
    assertThat(DriftAnalyzer.stepFor(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(6));
    assertThat(DriftAnalyzer.stepFor(Duration.ofSeconds(75))).isEqualTo(Duration.ofSeconds(10));
  }
}
