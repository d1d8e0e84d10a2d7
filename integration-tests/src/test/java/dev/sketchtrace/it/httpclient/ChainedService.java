package dev.sketchtrace.it.httpclient;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Child-JVM main: a servlet app on embedded Tomcat (127.0.0.1, ephemeral port). {@code GET /front}
 * calls {@code <downstream>/back} with {@code java.net.http.HttpClient} and answers with what it got;
 * {@code GET /back} answers {@code back}. Prints {@code READY <port>} once listening.
 *
 * <p>Arguments: the downstream base URL, or {@code -} for none.
 */
public final class ChainedService {
  public static void main(String[] args) throws Exception {
    String downstream = args[0];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Path base = Files.createTempDirectory("chained-service");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "service", new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String answer;
        if (request.getRequestURI().equals("/front")) {
          try {
            HttpResponse<String> downstreamResponse = client.send(
                HttpRequest.newBuilder(URI.create(downstream + "/back")).build(),
                HttpResponse.BodyHandlers.ofString());
            answer = "front:" + downstreamResponse.statusCode() + ":" + downstreamResponse.body();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        } else {
          answer = "back";
        }
        response.setContentType("text/plain");
        response.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
      }
    });
    context.addServletMappingDecoded("/*", "service");
    tomcat.start();
    System.out.println("READY " + connector.getLocalPort());
    System.out.flush();
    tomcat.getServer().await();
  }
}
