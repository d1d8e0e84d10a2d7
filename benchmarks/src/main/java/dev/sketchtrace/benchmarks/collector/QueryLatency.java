package dev.sketchtrace.benchmarks.collector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

/**
 * Query latency of the collector's JSON API, one request at a time:
 * <pre>
 * java -cp benchmarks/target/classes dev.sketchtrace.benchmarks.collector.QueryLatency \
 *   --api http://127.0.0.1:4040 --path '/api/v1/services/bench/operations?from=now-1h' --n 50 --warmup 5
 * </pre>
 */
public final class QueryLatency {
  private QueryLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = IngestLoad.args(args);
    String url = a.getOrDefault("api", "http://127.0.0.1:4040") + a.getOrDefault("path", "/api/v1/services");
    int n = Integer.parseInt(a.getOrDefault("n", "50"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).build();
    int size = 0;
    for (int i = 0; i < warmup; i++) size = client.send(req, HttpResponse.BodyHandlers.ofString()).body().length();
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      lat[i] = System.nanoTime() - t0;
      if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    Arrays.sort(lat);
    System.out.printf("%s%n  n=%d response=%d bytes  p50=%.1f ms p99=%.1f ms max=%.1f ms%n", url, n, size,
        lat[n / 2] / 1e6, lat[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, lat[n - 1] / 1e6);
  }
}
