import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tiny local sink that every agent in the overhead benchmark exports to, so that each one pays
 * for real serialization and a real HTTP round trip, but no backend's cost lands in the numbers.
 * It reads and discards every body and answers what each protocol expects:
 * <ul>
 *   <li>OTLP/HTTP ({@code /v1/traces|metrics|logs}, and our {@code /v1/sketches}): 200, empty
 *       protobuf body (a valid empty Export*ServiceResponse);</li>
 *   <li>Elastic APM: {@code GET /} server info, {@code /intake/v2/events} 202, central config 200;</li>
 *   <li>Datadog: {@code /info}, {@code /v0.4|5/traces} 200 with a rate_by_service body,
 *       telemetry 202;</li>
 * </ul>
 * {@code GET /__stats} prints requests and bytes per path since the previous call, then resets.
 * Usage: {@code java Sink <port>}. Thread-safe: counters are concurrent.
 */
public final class Sink {

  private static final Map<String, LongAdder[]> COUNTS = new ConcurrentHashMap<>();

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", Sink::handle);
    server.start();
    System.out.println("sink listening on " + server.getAddress().getPort());
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    long bytes = drain(exchange.getRequestBody());
    if (path.equals("/__stats")) {
      respond(exchange, 200, "text/plain", stats());
      return;
    }
    LongAdder[] c = COUNTS.computeIfAbsent(exchange.getRequestMethod() + " " + bucket(path),
        k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    c[0].increment();
    c[1].add(bytes);
    if (path.startsWith("/v1/")) {
      respond(exchange, 200, "application/x-protobuf", "");
    } else if (path.startsWith("/intake/")) {
      respond(exchange, 202, "application/json", "");
    } else if (path.equals("/") || path.isEmpty()) {
      respond(exchange, 200, "application/json",
          "{\"build_date\":\"2025-01-01T00:00:00Z\",\"build_sha\":\"sink\",\"publish_ready\":true,\"version\":\"8.17.0\"}");
    } else if (path.equals("/info")) {
      respond(exchange, 200, "application/json",
          "{\"version\":\"7.60.0\",\"endpoints\":[\"/v0.4/traces\",\"/v0.5/traces\"],\"client_drop_p0s\":false}");
    } else if (path.startsWith("/v0.")) {
      respond(exchange, 200, "application/json", "{\"rate_by_service\":{\"service:,env:\":1}}");
    } else if (path.startsWith("/telemetry/")) {
      respond(exchange, 202, "application/json", "");
    } else {
      respond(exchange, 200, "application/json", "{}");
    }
  }

  /** Groups paths that embed ids so the stats stay short. */
  private static String bucket(String path) {
    return path.startsWith("/config/") ? "/config/..." : path;
  }

  private static String stats() {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(COUNTS).forEach((k, v) -> sb.append(k).append('\t').append(v[0].sumThenReset())
        .append('\t').append(v[1].sumThenReset()).append('\n'));
    return sb.toString();
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    return total;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
