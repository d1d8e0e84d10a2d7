import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's load driver and terminal summary (run by demo.sh as a single-file program, so it needs
 * nothing but the JDK). It sends a realistic mix of requests to the shop for {@code --duration}
 * seconds with a progress line, injects a slowdown of the report query halfway through, then asks
 * the collector's query API for top routes (p50/p99, error rate), top SQL by total time, and what
 * drifted between the two halves. Exits non-zero when the collector has no data, so {@code
 * demo.sh --ci} can be smoke-tested.
 *
 * <p>Usage: {@code java DemoDriver.java --shop URL --api URL [--duration S] [--slowdown-ms N] [--ci]}
 */
public final class DemoDriver {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    String shop = opts.getOrDefault("shop", "http://127.0.0.1:8080");
    String api = opts.getOrDefault("api", "http://127.0.0.1:4040");
    int duration = Integer.parseInt(opts.getOrDefault("duration", "60"));
    int slowdownMs = Integer.parseInt(opts.getOrDefault("slowdown-ms", "200"));
    boolean ci = opts.containsKey("ci") || System.console() == null;

    long startMs = System.currentTimeMillis();
    Load load = new Load(shop);
    load.start(4);
    long midMs = 0;
    int lastPrinted = -1;
    for (int second = 0; second <= duration; second++) {
      if (second == duration / 2) {
        post(shop + "/admin/slowdown?extraMillis=" + slowdownMs);
        midMs = System.currentTimeMillis();
        System.out.printf("%n>>> slowdown injected at %d s: the report query now waits %d ms longer%n", second, slowdownMs);
      }
      if (!ci) {
        System.out.print("\r" + load.progress(second, duration) + "   ");
      } else if (second % 10 == 0 && second != lastPrinted) {
        System.out.println(load.progress(second, duration));
        lastPrinted = second;
      }
      if (second < duration) {
        Thread.sleep(1000);
      }
    }
    load.stop();
    System.out.println();
    post(shop + "/admin/slowdown?extraMillis=0");
    long endMs = System.currentTimeMillis();
    System.out.println("waiting for the last export to reach the collector ...");
    Thread.sleep(6000);

    boolean hasData = new Summary(api, startMs, midMs, endMs + 6000).print();
    System.out.println();
    System.out.println("Dashboard: " + api + "/");
    System.exit(hasData ? 0 : 1);
  }

  /** Worker threads sending a weighted mix of the shop's routes. Thread-safe counters. */
  static final class Load {
    private final String shop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    Load(String shop) {
      this.shop = shop;
    }

    void start(int workers) {
      for (int i = 0; i < workers; i++) {
        Thread t = new Thread(this::run, "demo-load-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(15_000);
      }
    }

    private void run() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (running.get()) {
        int id = 1 + random.nextInt(8);
        int dice = random.nextInt(100);
        try {
          int status;
          if (dice < 45) {
            status = get(shop + "/products/" + id);
          } else if (dice < 55) {
            status = get(shop + "/products");
          } else if (dice < 70) {
            status = post(shop + "/orders/" + id + "?quantity=" + (1 + random.nextInt(3)));
          } else if (dice < 82) {
            status = get(shop + "/products/" + id + "/stock");
          } else if (dice < 94) {
            status = get(shop + "/reports/sales");
          } else {
            status = get(shop + "/orders/" + id + "/invoice"); // the broken feature: always 500
          }
          requests.incrementAndGet();
          if (status >= 500) {
            failures.incrementAndGet();
          }
          Thread.sleep(10 + random.nextInt(20)); // a steady, friendly load, not a stress test
        } catch (IOException e) {
          failures.incrementAndGet();
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    String progress(int second, int duration) {
      int width = 30;
      int done = duration == 0 ? width : second * width / duration;
      return String.format(Locale.ROOT, "[%s%s] %3d/%d s  %6d requests  %5d answered 5xx",
          "#".repeat(done), ".".repeat(width - done), second, duration, requests.get(), failures.get());
    }
  }

  /** Reads the collector's query API and prints the summary; returns whether there was data. */
  static final class Summary {
    private final String api;
    private final long from;
    private final long mid;
    private final long to;

    Summary(String api, long from, long mid, long to) {
      this.api = api;
      this.from = from;
      this.mid = mid;
      this.to = to;
    }

    boolean print() throws IOException, InterruptedException {
      List<Object> services = list(json(api + "/api/v1/services").get("services"));
      System.out.println();
      System.out.println("== Services seen by the collector: " + services);
      if (services.isEmpty()) {
        System.out.println("No data arrived at the collector. Look at demo-data/logs/*.log.");
        return false;
      }
      boolean any = false;
      for (Object service : services) {
        List<Map<String, Object>> routes = operations((String) service, "http.server.request.duration", from, to);
        if (routes.isEmpty()) {
          continue;
        }
        any = true;
        System.out.println();
        System.out.println("== Top routes of " + service);
        System.out.printf(Locale.ROOT, "  %-34s %8s %10s %10s %8s%n", "route", "requests", "p50 ms", "p99 ms", "errors");
        for (Map<String, Object> op : routes.subList(0, Math.min(8, routes.size()))) {
          double count = num(op.get("count"));
          System.out.printf(Locale.ROOT, "  %-34s %8.0f %10.1f %10.1f %7.1f%%%n", op.get("operation"), count,
              num(op.get("p50")) * 1000, num(op.get("p99")) * 1000, count == 0 ? 0 : 100 * num(op.get("errors")) / count);
        }
      }
      printTopSql(services);
      printDrift(services);
      return any;
    }

    private void printTopSql(List<Object> services) throws IOException, InterruptedException {
      for (Object service : services) {
        List<Map<String, Object>> top = maps(json(api + "/api/v1/services/" + enc((String) service)
            + "/top-sql?by=time&limit=5&from=" + from + "&to=" + to).get("statements"));
        if (top.isEmpty()) {
          continue;
        }
        System.out.println();
        System.out.println("== Top SQL of " + service + " by total time");
        for (Map<String, Object> s : top) {
          System.out.printf(Locale.ROOT, "  %10.1f ms  %s%n", num(s.get("estimate")) / 1e6, shorten((String) s.get("key"), 90));
        }
      }
    }

    /**
     * Compares each operation's p50 between the halves before and after the slowdown. Slowdowns are
     * listed first: a fresh JVM is still compiling its hot code in the first half, so everything
     * else tends to look faster later, and that warm-up must not outrank the injected slowdown.
     * Each half stops one storage step (10 s, the collector's finest tier) short of the moment of
     * the slowdown: the step that contains it mixes both regimes and would dilute either side.
     */
    private void printDrift(List<Object> services) throws IOException, InterruptedException {
      record Change(String what, double before, double after) {}
      List<Change> changes = new ArrayList<>();
      long step = 10_000;
      long beforeEnd = Math.max(from + 1000, mid - step);
      long afterStart = Math.min(to - 1000, mid + step);
      for (Object service : services) {
        Map<String, Map<String, Object>> before = byOperation(operations((String) service, null, from, beforeEnd));
        Map<String, Map<String, Object>> after = byOperation(operations((String) service, null, afterStart, to));
        after.forEach((op, stats) -> {
          Map<String, Object> b = before.get(op);
          if (b != null && num(b.get("count")) >= 5 && num(stats.get("count")) >= 5) {
            changes.add(new Change(service + ": " + op, num(b.get("p50")), num(stats.get("p50"))));
          }
        });
      }
      // Slowdowns first (largest ratio first), then speed-ups (largest factor first).
      changes.sort(Comparator.comparing((Change c) -> c.after < c.before)
          .thenComparingDouble(c -> -Math.abs(Math.log(c.after / c.before))));
      System.out.println();
      System.out.println("== What drifted (p50, first half vs second half of the run; slowdowns first)");
      int shown = 0;
      for (Change c : changes) {
        double ratio = c.after / c.before;
        if (shown == 5) {
          break;
        }
        if (Math.abs(Math.log(ratio)) < Math.log(1.5)) {
          continue;
        }
        System.out.printf(Locale.ROOT, "  %-60s %8.1f ms -> %8.1f ms  (%.1fx)%n", shorten(c.what, 60),
            c.before * 1000, c.after * 1000, ratio);
        shown++;
      }
      if (shown == 0) {
        System.out.println("  nothing changed by more than 1.5x");
      }
    }

    private List<Map<String, Object>> operations(String service, String metric, long fromMs, long toMs)
        throws IOException, InterruptedException {
      String url = api + "/api/v1/services/" + enc(service) + "/operations?from=" + fromMs + "&to=" + toMs
          + (metric == null ? "" : "&metric=" + enc(metric));
      return maps(json(url).get("operations"));
    }

    private static Map<String, Map<String, Object>> byOperation(List<Map<String, Object>> ops) {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (Map<String, Object> op : ops) {
        out.put(op.get("metric") + " " + op.get("operation"), op);
      }
      return out;
    }
  }

  // ---- tiny HTTP and JSON helpers ------------------------------------------------------------------

  static int get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static int post(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return (Map<String, Object>) new Json(r.body()).value();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object o) {
    return o == null ? List.of() : (List<Map<String, Object>>) o;
  }

  static double num(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String shorten(String s, int max) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ");
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      out.put(name, flag ? "true" : args[++i]);
    }
    return out;
  }

  /** A minimal JSON reader (objects, arrays, strings, numbers, true/false/null). Not thread-safe. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          Map<String, Object> m = new LinkedHashMap<>();
          i++;
          skip();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          while (true) {
            skip();
            String key = string();
            skip();
            i++; // ':'
            m.put(key, value());
            skip();
            if (s.charAt(i++) == '}') {
              return m;
            }
          }
        }
        case '[': {
          List<Object> l = new ArrayList<>();
          i++;
          skip();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          while (true) {
            l.add(value());
            skip();
            if (s.charAt(i++) == ']') {
              return l;
            }
          }
        }
        case '"':
          return string();
        default:
          if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
          }
          if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
          }
          if (s.startsWith("null", i)) {
            i += 4;
            return null;
          }
          if (s.startsWith("NaN", i)) {
            i += 3;
            return Double.NaN;
          }
          int start = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          return Double.parseDouble(s.substring(start, i));
      }
    }

    private String string() {
      StringBuilder sb = new StringBuilder();
      i++; // opening quote
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n': sb.append('\n'); break;
            case 't': sb.append('\t'); break;
            case 'r': sb.append('\r'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
            default: sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
