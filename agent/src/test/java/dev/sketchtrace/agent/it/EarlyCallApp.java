package dev.sketchtrace.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Child-JVM app for the background-installation test: its very first work is one HTTP call with
 * {@code HttpURLConnection} (to a local JDK server), made while the agent is still installing Byte
 * Buddy in the background. Then it stays until the agent's exporter runs, so the shutdown hook
 * exports what was measured.
 */
public final class EarlyCallApp {
  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/early", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    long startedAt = System.nanoTime();
    HttpURLConnection connection =
        (HttpURLConnection)
            new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/early").openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    connection.disconnect();
    System.out.println("status=" + status + " after " + (System.nanoTime() - startedAt) / 1_000_000 + " ms");
    server.stop(0);
    awaitAgentPipeline();
    System.out.println("done");
  }

  private static void awaitAgentPipeline() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("sketchtrace-export")) {
          Thread.sleep(500); // the starter hands the running pipeline to the shutdown hook next
          return;
        }
      }
      Thread.sleep(50);
    }
  }
}
