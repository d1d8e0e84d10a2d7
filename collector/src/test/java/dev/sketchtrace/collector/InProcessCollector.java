package dev.sketchtrace.collector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** Test helper: a collector on free loopback ports over a temporary data directory. */
final class InProcessCollector implements AutoCloseable {
  final Collector collector;
  private final HttpClient http = HttpClient.newHttpClient();

  InProcessCollector(Path dataDir) throws Exception {
    this(CollectorConfig.builder().dataDir(dataDir).otlpHttpPort(0).otlpGrpcPort(0).httpPort(0));
  }

  InProcessCollector(CollectorConfig.Builder config) throws Exception {
    this.collector = Collector.start(config.build());
  }

  String otlpHttp() {
    return "http://127.0.0.1:" + collector.otlpHttpPort();
  }

  String otlpGrpc() {
    return "http://127.0.0.1:" + collector.otlpGrpcPort();
  }

  String api() {
    return "http://127.0.0.1:" + collector.httpPort();
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(api() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(otlpHttp() + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    collector.close();
  }
}
