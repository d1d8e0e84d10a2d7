package dev.sketchtrace.benchmarks.collector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OTLP/HTTP protobuf load generator for the collector, run in its own JVM:
 * <pre>
 * java -cp benchmarks/target/classes dev.sketchtrace.benchmarks.collector.IngestLoad \
 *   --url http://127.0.0.1:4318 --signal traces|metrics --threads 4 --seconds 20 --batch 500 \
 *   [--series 10000] [--spread-seconds 0] [--service bench]
 * </pre>
 * Traces: every request carries {@code batch} spans with fresh trace ids. Metrics: every request
 * carries {@code batch} exponential-histogram points of distinct series (cycling over
 * {@code series}), stamped now minus a random offset up to {@code spread-seconds}. Bodies are
 * encoded before the clock starts; only accepted (200) items are counted.
 */
public final class IngestLoad {
  private IngestLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = args(args);
    String url = a.getOrDefault("url", "http://127.0.0.1:4318");
    String signal = a.getOrDefault("signal", "traces");
    int threads = Integer.parseInt(a.getOrDefault("threads", "4"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "500"));
    int series = Integer.parseInt(a.getOrDefault("series", "10000"));
    int spread = Integer.parseInt(a.getOrDefault("spread-seconds", "0"));
    long maxRequests = Long.parseLong(a.getOrDefault("max-requests", String.valueOf(Long.MAX_VALUE)));
    String service = a.getOrDefault("service", "bench");
    boolean traces = signal.equals("traces");
    String path = traces ? "/v1/traces" : "/v1/metrics";

    // Pre-encode: 64 bodies per thread.
    long now = System.currentTimeMillis() * 1_000_000L;
    List<List<byte[]>> bodies = new ArrayList<>();
    Random random = new Random(1);
    int seriesCursor = 0;
    for (int t = 0; t < threads; t++) {
      List<byte[]> mine = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        if (traces) {
          mine.add(OtlpBodies.traces(service, batch, now, random));
        } else {
          long time = now - (spread == 0 ? 0 : (long) random.nextInt(spread) * 1_000_000_000L);
          mine.add(OtlpBodies.metrics(service, batch, seriesCursor % series, time, random));
          seriesCursor += batch;
        }
      }
      bodies.add(mine);
    }
    int[] idOffsets = traces ? traceIdOffsets(bodies.get(0).get(0)) : new int[0];

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong items = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    long[][] latencies = new long[threads][];
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        long[] lat = new long[1 << 20];
        int n = 0;
        List<byte[]> mine = bodies.get(id);
        for (long r = 0; System.nanoTime() < deadline && requests.get() < maxRequests; r++) {
          byte[] body = mine.get((int) (r % mine.size()));
          if (traces) {
            body = body.clone();
            for (int k = 0; k < idOffsets.length; k++) {
              ByteBuffer.wrap(body, idOffsets[k], 16).putLong(((long) id << 48) | r).putLong(k + 1);
            }
          }
          HttpRequest req = HttpRequest.newBuilder(URI.create(url + path))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          long t0 = System.nanoTime();
          int status;
          try {
            status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (Exception e) {
            status = -1;
          }
          if (n < lat.length) lat[n++] = System.nanoTime() - t0;
          statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
          requests.incrementAndGet();
          if (status == 200) {
            items.addAndGet(batch);
            bytes.addAndGet(body.length);
          }
        }
        latencies[id] = Arrays.copyOf(lat, n);
      }, "load-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) w.join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    Map<Integer, Long> st = new TreeMap<>();
    statuses.forEach((k, v) -> st.put(k, v.get()));
    System.out.printf("signal=%s threads=%d batch=%d seconds=%.1f requests=%d statuses=%s%n", signal, threads, batch, elapsed, requests.get(), st);
    System.out.printf("accepted %s/s: %.0f   (%.1f MB/s of protobuf)%n", traces ? "spans" : "histogram points", items.get() / elapsed, bytes.get() / elapsed / 1e6);
    if (all.length > 0) {
      System.out.printf("request latency ms: p50=%.1f p99=%.1f max=%.1f%n",
          all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
    }
  }

  /** Offsets of the placeholder trace ids (tag 0x0A, length 16, sixteen 0x11 bytes). */
  private static int[] traceIdOffsets(byte[] body) {
    List<Integer> offsets = new ArrayList<>();
    outer:
    for (int i = 2; i + 16 <= body.length; i++) {
      if (body[i - 2] != 0x0A || body[i - 1] != 16) continue;
      for (int k = 0; k < 16; k++) if (body[i + k] != 0x11) continue outer;
      offsets.add(i);
      i += 15;
    }
    return offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  static Map<String, String> args(String[] args) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
      m.put(args[i].substring(2), args[i + 1]);
    }
    return m;
  }
}
