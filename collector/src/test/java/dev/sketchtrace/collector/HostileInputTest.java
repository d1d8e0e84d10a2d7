package dev.sketchtrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus: each body gets the right status code, the collector stays up, and
 * nothing previously stored changes (the same query answers byte for byte the same afterwards).
 */
class HostileInputTest {
  private static final String PB = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int MAX_REQUEST = 256 * 1024;

  @TempDir static Path dir;
  static InProcessCollector c;
  static long now;

  @BeforeAll
  static void start() throws Exception {
    c = new InProcessCollector(CollectorConfig.builder().dataDir(dir).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0)
        .maxRequestBytes(MAX_REQUEST).maxDecompressedBytes(1 << 20));
    now = System.currentTimeMillis() * 1_000_000L;
    assertThat(c.post("/v1/metrics", PB, OtlpRequests.metrics("victim", OtlpRequests.point(now, "/a", 5)).toByteArray()).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  /** One corpus entry: what is sent and the status it must get. */
  record Case(String name, String path, String contentType, byte[] body, int status, String... headers) {}

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] metrics(ExponentialHistogramDataPoint.Builder p) {
    return OtlpRequests.metrics("victim", p).toByteArray();
  }

  static List<Case> corpus() throws Exception {
    List<Case> cases = new ArrayList<>();
    Random r = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + r.nextInt(2000)];
      r.nextBytes(junk);
      junk[0] = (byte) 0xff; // field 31, wire type 7: never a valid protobuf tag
      cases.add(new Case("random bytes " + i, "/v1/metrics", PB, junk, 400));
    }
    byte[] valid = metrics(OtlpRequests.point(now, "/a", 1));
    cases.add(new Case("truncated protobuf", "/v1/metrics", PB, Arrays.copyOf(valid, valid.length - 7), 400));
    cases.add(new Case("truncated traces", "/v1/traces", PB, Arrays.copyOf(valid, valid.length / 2), 400));
    cases.add(new Case("malformed JSON", "/v1/metrics", JSON, utf8("{\"resourceMetrics\": [ {"), 400));
    cases.add(new Case("JSON array root", "/v1/traces", JSON, utf8("[1,2,3]"), 400));
    cases.add(new Case("JSON wrong types", "/v1/metrics", JSON, utf8("{\"resourceMetrics\": \"nope\"}"), 400));
    cases.add(new Case("JSON negative count", "/v1/metrics", JSON, utf8(
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\",\"exponentialHistogram\":{\"aggregationTemporality\":1,"
            + "\"dataPoints\":[{\"timeUnixNano\":\"" + now + "\",\"count\":\"-5\",\"scale\":0}]}}]}]}]}"), 400));
    cases.add(new Case("JSON deep nesting", "/v1/traces", JSON, utf8("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400));
    cases.add(new Case("JSON bad hex trace id", "/v1/traces", JSON, utf8(
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"eee19b7ec3c1b174\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}"), 400));
    cases.add(new Case("trace id of 15 bytes", "/v1/traces", PB, OtlpRequests.traces("victim",
        OtlpRequests.span(new byte[15], new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, now)).toByteArray(), 400));
    byte[] tid = new byte[16];
    tid[3] = 9;
    cases.add(new Case("span id of 9 bytes", "/v1/traces", PB, OtlpRequests.traces("victim",
        OtlpRequests.span(tid, new byte[9], now)).toByteArray(), 400));
    cases.add(new Case("all-zero trace id", "/v1/traces", PB, OtlpRequests.traces("victim",
        OtlpRequests.span(new byte[16], new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, now)).toByteArray(), 400));
    cases.add(new Case("parent id of 3 bytes", "/v1/traces", PB, OtlpRequests.traces("victim",
        OtlpRequests.span(tid, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, now).setParentSpanId(ByteString.copyFrom(new byte[3]))).toByteArray(), 400));
    cases.add(new Case("NaN sum", "/v1/metrics", PB, metrics(OtlpRequests.point(now, "/a", 1).setSum(Double.NaN)), 400));
    cases.add(new Case("count != buckets", "/v1/metrics", PB, metrics(OtlpRequests.point(now, "/a", 1).setCount(99)), 400));
    cases.add(new Case("count overflows", "/v1/metrics", PB, metrics(OtlpRequests.point(now, "/a", 1)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().addBucketCounts(-1L).addBucketCounts(5))), 400));
    cases.add(new Case("scale 99", "/v1/metrics", PB, metrics(OtlpRequests.point(now, "/a", 1).setScale(99)), 400));
    cases.add(new Case("no timestamp", "/v1/metrics", PB, metrics(OtlpRequests.point(now, "/a", 1).setTimeUnixNano(0)), 400));
    // A valid first metric and a broken second one in the same request: nothing may be stored.
    ExportMetricsServiceRequest half = OtlpRequests.metrics("victim", OtlpRequests.point(now, "/a", 1), OtlpRequests.point(now, "/a", 1).setSum(Double.NaN));
    cases.add(new Case("half-valid request", "/v1/metrics", PB, half.toByteArray(), 400));
    cases.add(new Case("oversized body", "/v1/metrics", PB, new byte[MAX_REQUEST + 1], 413));
    cases.add(new Case("gzip bomb", "/v1/metrics", PB, gzip(new byte[64 << 20]), 413, "Content-Encoding", "gzip"));
    cases.add(new Case("not gzip", "/v1/metrics", PB, valid, 400, "Content-Encoding", "gzip"));
    cases.add(new Case("unknown encoding", "/v1/metrics", PB, valid, 415, "Content-Encoding", "br"));
    cases.add(new Case("text/plain", "/v1/metrics", "text/plain", valid, 415));
    cases.add(new Case("form content type", "/v1/traces", "application/x-www-form-urlencoded", utf8("a=b"), 415));
    cases.add(new Case("sketches: not JSON", "/v1/sketches", JSON, utf8("xx"), 400));
    cases.add(new Case("sketches: bad base64", "/v1/sketches", JSON, utf8(
        "{\"resource\":{\"service.name\":\"victim\"},\"timeUnixNano\":\"" + now + "\",\"sketches\":[{\"metric\":\"m\",\"kind\":\"hll\",\"data\":\"!!\"}]}"), 400));
    cases.add(new Case("sketches: corrupt sketch", "/v1/sketches", JSON, utf8(
        "{\"resource\":{\"service.name\":\"victim\"},\"timeUnixNano\":\"" + now + "\",\"sketches\":[{\"metric\":\"m\",\"kind\":\"topk_time\",\"data\":\"AQIDBA==\"}]}"), 400));
    cases.add(new Case("sketches: unknown kind", "/v1/sketches", JSON, utf8(
        "{\"resource\":{\"service.name\":\"victim\"},\"timeUnixNano\":\"" + now + "\",\"sketches\":[{\"metric\":\"m\",\"kind\":\"zzz\",\"data\":\"\"}]}"), 400));
    cases.add(new Case("sketches: protobuf type", "/v1/sketches", PB, valid, 415));
    return cases;
  }

  @Test
  void everyHostileBodyGetsItsStatusAndChangesNothing() throws Exception {
    long ms = now / 1_000_000L;
    String window = "?from=" + (ms - 3_600_000) + "&to=" + (ms + 3_600_000);
    // Rates are per second up to now, so they move with the clock; everything else must not.
    String before = c.get("/api/v1/services/victim/operations" + window).body().replaceAll("\"(rate|errorRate)\":[^,]*", "");
    assertThat(before).contains("\"count\":20");
    for (Case k : corpus()) {
      HttpResponse<byte[]> r = c.post(k.path(), k.contentType(), k.body(), k.headers());
      assertThat(r.statusCode()).as(k.name() + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(k.status());
    }
    assertThat(c.get("/healthz").statusCode()).isEqualTo(200);
    c.collector.rollupNow();
    assertThat(c.get("/api/v1/services/victim/operations" + window).body().replaceAll("\"(rate|errorRate)\":[^,]*", "")).isEqualTo(before);
    assertThat(c.get("/api/v1/traces?service=victim").body()).isEqualTo("{\"traces\":[]}");
  }

  @Test
  void hugeAttributeValuesAreAcceptedButBounded() throws Exception {
    ExponentialHistogramDataPoint.Builder p = OtlpRequests.point(now, "x".repeat(100_000), 1);
    HttpResponse<byte[]> r = c.post("/v1/metrics", PB, OtlpRequests.metrics("huge", p).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    String ops = c.get("/api/v1/services/huge/operations?from=now-1h").body();
    assertThat(ops).contains("x".repeat(1024) + "…").doesNotContain("x".repeat(1025));
  }

  @Test
  void pointsOutsideTheStoredRangeArePartialSuccess() throws Exception {
    long farFuture = now + 86_400L * 1_000_000_000L * 30;
    HttpResponse<byte[]> r = c.post("/v1/metrics", JSON, utf8(
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"future\",\"sum\":{\"aggregationTemporality\":1,"
            + "\"dataPoints\":[{\"timeUnixNano\":\"" + farFuture + "\",\"asDouble\":1}]}}]}]}]}"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"rejectedDataPoints\":\"1\"");
  }

  @Test
  void badQueryParametersAreNamed() throws Exception {
    HttpResponse<String> r = c.get("/api/v1/services/victim/operations?from=yesterday");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"parameter\":\"from\"");
    assertThat(c.get("/api/v1/timeseries?service=victim&metric=m&stat=p200").body()).contains("\"parameter\":\"stat\"");
    assertThat(c.get("/api/v1/timeseries?service=victim").body()).contains("\"parameter\":\"metric\"");
    assertThat(c.get("/api/v1/traces?limit=0").body()).contains("\"parameter\":\"limit\"");
    assertThat(c.get("/api/v1/traces/abc").body()).contains("\"parameter\":\"traceId\"");
    assertThat(c.get("/api/v1/services/victim/top-sql?by=size").body()).contains("\"parameter\":\"by\"");
  }

  @Test
  void staticFilesDoNotEscapeTheDashboardFolder() throws Exception {
    assertThat(c.get("/").statusCode()).isEqualTo(200);
    for (String p : List.of("/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fdashboard/index.html", "/dev/sketchtrace/collector/Main.class")) {
      HttpResponse<String> r = c.get(p);
      assertThat(r.statusCode()).as(p).isIn(400, 404);
    }
  }
}
