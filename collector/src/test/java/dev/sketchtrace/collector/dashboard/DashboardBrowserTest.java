package dev.sketchtrace.collector.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.collector.Collector;
import dev.sketchtrace.collector.CollectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian {@code chromium} + {@code chromium-driver}),
 * against an in-process collector fed over OTLP/HTTP: a "petclinic" service with three routes and
 * their JDBC statements over the last two minutes, where {@code GET /vets} gets five times slower in
 * the last minute. Screenshots go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final String SERVICE = "petclinic";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final String OWNERS_SQL = "SELECT id, first_name, last_name FROM owners WHERE id = ?";
  static final String VETS_SQL = "SELECT id, name FROM vets ORDER BY name";

  /** On a failure, keeps what the browser showed (screenshot and DOM) next to the other screenshots. */
  @RegisterExtension
  static final TestWatcher ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (driver == null) return;
      try {
        String name = "failed-" + context.getRequiredTestMethod().getName();
        screenshot(name);
        Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource());
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
  };

  @TempDir static Path tmp;
  static Collector collector;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static String base;
  static String ownersTrace;
  static String failedTrace;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no " + CHROMIUM + " / " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    collector = Collector.start(CollectorConfig.builder().dataDir(tmp.resolve("data")).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0).build());
    base = "http://127.0.0.1:" + collector.httpPort();
    feed(new OtlpFeed("http://127.0.0.1:" + collector.otlpHttpPort(), SERVICE));

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + Files.createDirectories(tmp.resolve("chrome")),
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    Files.createDirectories(SCREENSHOTS);
  }

  /** Two minutes and a bit, in 10 s steps; /vets is 5x slower in the last minute. */
  static void feed(OtlpFeed otlp) throws Exception {
    long now = System.currentTimeMillis();
    long bucket = Math.floorDiv(now, 10_000) * 10_000;
    Random r = new Random(42);
    Map<String, long[]> statements = new LinkedHashMap<>();
    for (int i = -12; i <= 0; i++) { // 13 steps: two whole minutes whichever 10 s step the page loads in
      long t = Math.min(now, bucket + i * 10_000L + 1_000);
      boolean slow = i >= -5; // the last minute
      otlp.histogram("http.server.request.duration", route("GET", "/owners/{id}", "200"), t, 10_000, around(r, 0.005, 60));
      otlp.histogram("http.server.request.duration", route("GET", "/vets", "200"), t, 10_000, around(r, slow ? 0.100 : 0.020, 60));
      otlp.histogram("http.server.request.duration", route("POST", "/owners", "200"), t, 10_000, around(r, 0.008, 20));
      otlp.histogram("http.server.request.duration", route("POST", "/owners", "500"), t, 10_000, around(r, 0.030, 1));
      // as the agent sends them: one series per top-K statement (db.query.text), the rest folded into "other"
      otlp.histogram("db.client.operation.duration",
          Map.of("db.system", "h2", "db.operation.name", "SELECT", "db.collection.name", "owners", "db.query.text", OWNERS_SQL),
          t, 10_000, around(r, 0.001, 60));
      otlp.histogram("db.client.operation.duration",
          Map.of("db.system", "h2", "db.operation.name", "SELECT", "db.collection.name", "vets", "db.query.text", VETS_SQL),
          t, 10_000, around(r, slow ? 0.080 : 0.015, 60));
      otlp.histogram("db.client.operation.duration",
          Map.of("db.system", "h2", "db.operation.name", "INSERT", "db.collection.name", "owners", "db.query.text", "other"),
          t, 10_000, around(r, 0.003, 20));
      otlp.flushMetrics();
      // the agent's top-SQL and distinct sketches of the same interval: calls and total nanoseconds
      statements.put(OWNERS_SQL, new long[] {60, 60L * 2_000_000});
      statements.put(VETS_SQL, new long[] {60, 60L * (slow ? 75_000_000 : 15_000_000)});
      statements.put("INSERT INTO owners (first_name, last_name) VALUES (?, ?)", new long[] {20, 20L * 3_000_000});
      otlp.sketches(statements, t);
    }
    ownersTrace = otlp.trace("GET", "/owners/{id}", 200, OWNERS_SQL, "owners", now - 5_000, 6, 2, null);
    otlp.trace("GET", "/vets", 200, VETS_SQL, "vets", now - 4_000, 104, 85, null);
    failedTrace = otlp.trace("POST", "/owners", 500, "INSERT INTO owners (first_name, last_name) VALUES (?, ?)", "owners", now - 3_000, 31, 3,
        "duplicate owner");
  }

  static Map<String, String> route(String method, String route, String status) {
    return Map.of("http.request.method", method, "http.route", route, "http.response.status_code", status);
  }

  static double[] around(Random r, double center, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = center * (0.7 + 0.6 * r.nextDouble());
    return v;
  }

  @AfterAll
  static void stop() {
    if (driver != null) driver.quit();
    if (collector != null) collector.close();
  }

  static void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  static void open(String hash) {
    driver.get(base + "/#" + hash);
  }

  @Test
  @Order(1)
  void overviewListsTheServiceLive() throws Exception {
    open("/");
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live")); // the SSE stream delivered an update
    // the live feed re-renders the rows, so read them in one script call rather than element by element
    @SuppressWarnings("unchecked")
    Map<String, String> cells = (Map<String, String>) driver.executeScript(
        "const r = document.querySelector(arguments[0]); return {rate: r.dataset.rate, p99: r.dataset.p99,"
            + " sparks: String(r.querySelectorAll('svg.spark path').length)};",
        "#services-table tr[data-service='" + SERVICE + "']");
    assertThat(Double.parseDouble(cells.get("rate"))).isGreaterThan(0);
    // /vets at ~100 ms is a fifth of the last five minutes' requests, so it is the tail
    assertThat(Double.parseDouble(cells.get("p99"))).isBetween(0.05, 0.2);
    assertThat(cells.get("sparks")).isEqualTo("2");
    screenshot("overview");
    driver.manage().window().setSize(new Dimension(420, 900));
    screenshot("overview-narrow");
    // one script call again (the live feed may replace the row between two driver calls): the row and its
    // p99 fit the narrow window, the sparklines are hidden there
    @SuppressWarnings("unchecked")
    Map<String, Object> narrow = (Map<String, Object>) driver.executeScript(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            + " const p = document.querySelector(arguments[0] + ' td.p99').getBoundingClientRect();"
            + " return {visible: r.height > 0, p99Right: p.right, width: window.innerWidth,"
            + " sparkHidden: getComputedStyle(document.querySelector(arguments[0] + ' td.hide-narrow')).display === 'none'};",
        "#services-table tr[data-service='" + SERVICE + "']");
    assertThat(narrow.get("visible")).isEqualTo(true);
    assertThat(((Number) narrow.get("p99Right")).doubleValue()).isLessThanOrEqualTo(((Number) narrow.get("width")).doubleValue());
    assertThat(narrow.get("sparkHidden")).isEqualTo(true);
    driver.manage().window().setSize(new Dimension(1400, 1000));
  }

  @Test
  @Order(2)
  void servicePageShowsRoutesWithPlausibleP99() throws Exception {
    open("/service/" + SERVICE);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#routes-table tr[data-route]")));
    Map<String, Double> p99 = new LinkedHashMap<>();
    for (WebElement tr : driver.findElements(By.cssSelector("#routes-table tr[data-route]"))) {
      p99.put(tr.getAttribute("data-route"), Double.parseDouble(tr.getAttribute("data-p99")));
    }
    assertThat(p99).containsKeys("GET /owners/{id}", "GET /vets", "POST /owners");
    // latencies were drawn from center * [0.7, 1.3]; the sketch is within a few percent
    assertThat(p99.get("GET /owners/{id}")).isBetween(0.005, 0.0068);
    assertThat(p99.get("GET /vets")).isBetween(0.1, 0.135);
    WebElement post = driver.findElement(By.cssSelector("#routes-table tr[data-route='POST /owners']"));
    assertThat(Double.parseDouble(post.getAttribute("data-errors"))).isCloseTo(13.0 / 273, org.assertj.core.api.Assertions.within(1e-9));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dist svg rect.bar")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#p99-chart svg path.line")));
    // sorting by p99 or by p95 puts the slow route first
    driver.findElement(By.cssSelector("#routes-table th[data-sort='p99']")).click();
    assertThat(driver.findElement(By.cssSelector("#routes-table tbody tr")).getAttribute("data-route")).isEqualTo("GET /vets");
    driver.findElement(By.cssSelector("#routes-table th[data-sort='p50']")).click();
    driver.findElement(By.cssSelector("#routes-table th[data-sort='p95']")).click();
    assertThat(driver.findElement(By.cssSelector("#routes-table tbody tr")).getAttribute("data-route")).isEqualTo("GET /vets");
    double vetsP95 = Double.parseDouble(driver.findElement(By.cssSelector("#routes-table tr[data-route='GET /vets']")).getAttribute("data-p95"));
    assertThat(vetsP95).isBetween(0.09, p99.get("GET /vets"));
    screenshot("service");
  }

  @Test
  @Order(3)
  void databasePageListsStatementsAndLinksToTheirTraces() throws Exception {
    open("/db/" + SERVICE);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sql-time-table tr[data-statement]")));
    List<String> byTime = driver.findElements(By.cssSelector("#sql-time-table tr[data-statement]")).stream()
        .map(e -> e.getAttribute("data-statement")).toList();
    assertThat(byTime).containsExactly(VETS_SQL, OWNERS_SQL, "INSERT INTO owners (first_name, last_name) VALUES (?, ?)");
    assertThat(driver.findElements(By.cssSelector("#sql-calls-table tr[data-statement]"))).hasSize(3);
    assertThat(driver.findElement(By.id("distinct-statements")).getText()).isEqualTo("3");
    assertThat(driver.findElements(By.cssSelector("#db-ops-table tr[data-operation]"))).extracting(e -> e.getAttribute("data-operation"))
        .contains("h2 SELECT owners", "h2 SELECT vets");
    // per-statement latency from the statement series
    Map<String, Double> stmtP99 = new LinkedHashMap<>();
    for (WebElement tr : driver.findElements(By.cssSelector("#db-statements-table tr[data-statement]"))) {
      stmtP99.put(tr.getAttribute("data-statement"), Double.parseDouble(tr.getAttribute("data-p99")));
    }
    assertThat(stmtP99).containsOnlyKeys(OWNERS_SQL, VETS_SQL, "other");
    assertThat(stmtP99.get(OWNERS_SQL)).isBetween(0.0009, 0.00135); // 0.7..1.3 ms
    assertThat(stmtP99.get(VETS_SQL)).isBetween(0.08, 0.106); // the slow minute: 56..104 ms
    screenshot("database");
    driver.findElement(By.cssSelector("#sql-time-table tr[data-statement='" + OWNERS_SQL + "'] a")).click();
    WebElement hit = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#traces-table tr[data-trace-id]")));
    assertThat(hit.getAttribute("data-trace-id")).isEqualTo(ownersTrace);
  }

  @Test
  @Order(4)
  void clickingATraceOpensItsWaterfallWithTheJdbcSpanUnderTheServletSpan() throws Exception {
    open("/traces?service=" + SERVICE + "&route=/owners/{id}");
    WebElement row = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#traces-table tr[data-trace-id='" + ownersTrace + "']")));
    row.click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#waterfall .span-row")));
    WebElement server = driver.findElement(By.cssSelector("#waterfall .span-row[data-kind='SERVER']"));
    WebElement jdbc = driver.findElement(By.cssSelector("#waterfall .span-row[data-kind='CLIENT']"));
    assertThat(server.getAttribute("data-depth")).isEqualTo("0");
    assertThat(jdbc.getAttribute("data-depth")).isEqualTo("1");
    assertThat(jdbc.getAttribute("data-parent-id")).isEqualTo(server.getAttribute("data-span-id"));
    assertThat(jdbc.getText()).contains("SELECT owners");
    jdbc.click();
    assertThat(driver.findElement(By.id("span-detail")).getText()).contains("db.query.text", OWNERS_SQL);
    screenshot("trace");
  }

  @Test
  @Order(5)
  void aFailedTraceShowsItsExceptionEvent() throws Exception {
    open("/traces?service=" + SERVICE + "&errors=1");
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#traces-table tr[data-trace-id='" + failedTrace + "']"))).click();
    // the span with the exception is selected first
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("span-detail"), "duplicate owner"));
    assertThat(driver.findElement(By.id("span-detail")).getText()).contains("exception", "java.lang.IllegalStateException");
    screenshot("trace-exception");
  }

  @Test
  @Order(6)
  void driftRanksTheInjectedSlowdownFirst() throws Exception {
    open("/drift?window=1m");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#drift-table tr[data-key]")));
    List<WebElement> rows = driver.findElements(By.cssSelector("#drift-table tr[data-key]"));
    // the slowdown seen at each level (route, operation on the table, the SQL statement) ranks above all else
    assertThat(rows.subList(0, 3)).extracting(e -> e.getAttribute("data-name"))
        .containsExactlyInAnyOrder("GET /vets", "SELECT vets", VETS_SQL);
    assertThat(rows.get(0).getText()).contains("changed");
    assertThat(rows.get(3).getAttribute("data-name")).doesNotContain("vets");
    assertThat(driver.findElement(By.id("drift-caveat")).getText()).contains("not evidence that one caused the other");
    screenshot("drift");
  }

  @Test
  @Order(7)
  void alertsPageShowsRulesAndRefusesABadRuleSetNamingTheField() throws Exception {
    open("/alerts");
    WebElement editor = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rules-json")));
    setValue(editor, "{\"rules\": [{\"name\": \"vets p99\", \"service\": \"petclinic\", \"route\": \"GET /vets\", \"signal\": \"p99\","
        + " \"window\": \"5m\", \"warning\": 0.05, \"critical\": 0.09}]}");
    driver.findElement(By.id("rules-save")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rules-table tr[data-rule='vets p99']")));
    editor = driver.findElement(By.id("rules-json"));
    setValue(editor, "{\"rules\": [{\"name\": \"x\", \"service\": \"petclinic\", \"signal\": \"p99\", \"window\": \"5 minutes\", \"warning\": 1}]}");
    driver.findElement(By.id("rules-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-result"), "rules[0].window"));
    screenshot("alerts-refused");
    collector.dashboard().alerts().engine().evaluate(); // what the 15 s schedule does; the rule kept is evaluated
    driver.navigate().refresh();
    WebElement rule = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rules-table tr[data-rule='vets p99']")));
    assertThat(rule.getAttribute("data-state")).isEqualTo("CRITICAL"); // p99 of /vets over 5 min is ~130 ms > 90 ms
    assertThat(driver.findElement(By.id("history-table")).getText()).contains("vets p99", "OK", "CRITICAL");
    screenshot("alerts");
  }

  static void setValue(WebElement e, String v) {
    driver.executeScript("arguments[0].value = arguments[1];", e, v);
  }
}
