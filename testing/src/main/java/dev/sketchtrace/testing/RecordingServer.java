package dev.sketchtrace.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A JDK HttpServer on 127.0.0.1 that records every request it receives. {@code /status/N} answers
 * N, {@code /echo} returns the body, {@code /slow} waits two seconds, {@code /redirect} answers 302
 * to {@code /ok}; anything else answers 200 {@code ok}.
 */
public final class RecordingServer implements AutoCloseable {
  public record Received(String method, String path, Headers headers, String body) {
    public String header(String name) {
      return headers.getFirst(name);
    }

    public List<String> headerValues(String name) {
      List<String> values = headers.get(name);
      return values == null ? List.of() : values;
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private RecordingServer(HttpServer server) {
    this.server = server;
  }

  public static RecordingServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    RecordingServer recording = new RecordingServer(server);
    server.createContext("/", recording::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return recording;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Received> received() {
    return received;
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public void clear() {
    received.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
    int status = 200;
    String answer = "ok";
    if (path.startsWith("/status/")) {
      status = Integer.parseInt(path.substring("/status/".length()));
      answer = "status " + status;
    } else if (path.equals("/echo")) {
      answer = body;
    } else if (path.equals("/redirect")) {
      exchange.getResponseHeaders().set("Location", "/ok");
      status = 302;
      answer = "";
    } else if (path.equals("/slow")) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
