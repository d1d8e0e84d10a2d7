package dev.sketchtrace.benchmarks.httpclient;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time one {@code HttpClient.send} takes on the calling thread, to a local JDK HttpServer that
 * answers {@code 200 ok}. Run by {@link HttpClientOverhead} in forked JVMs without an agent, with
 * Sketchtrace and with the OpenTelemetry Java agent; the difference between those runs is the
 * agent's added app-thread cost per call (span start/end, header injection, context).
 *
 * <p>The server listens on {@code -Dbench.port} (0: any), so that the launcher can point the agents'
 * OTLP exporters at it before the JVM starts: it answers their exports with an empty 200 too, so both
 * agents do their real export work against a live endpoint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpClientSendBenchmark {
  private HttpServer server;
  private ExecutorService serverThreads;
  private HttpClient client;
  private HttpRequest request;

  @Setup
  public void start() throws IOException {
    // Without TCP_NODELAY the server's header and body writes meet the client's delayed ACK and
    // every call takes ~40 ms of idle waiting, hiding what is measured. Read when the server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.getInteger("bench.port", 0);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      boolean export = exchange.getRequestURI().getPath().startsWith("/v1/");
      exchange.sendResponseHeaders(200, export ? -1 : ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!export) {
          out.write(ok);
        }
      }
    });
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/items/42?q=1")).build();
  }

  @TearDown
  public void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @Benchmark
  public int send() throws Exception {
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() + response.body().length;
  }
}
