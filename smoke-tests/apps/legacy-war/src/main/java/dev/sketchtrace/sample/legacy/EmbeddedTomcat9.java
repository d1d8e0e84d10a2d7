package dev.sketchtrace.sample.legacy;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * Runs this WAR's servlets in an embedded Tomcat 9 ({@code java -jar legacy-war.war [port]},
 * default 8082). The mappings come from the same {@link WebServlet} annotations a standalone
 * Tomcat reads when the WAR is deployed, so both ways serve the same routes.
 */
public final class EmbeddedTomcat9 {

  static final List<Class<? extends HttpServlet>> SERVLETS =
      List.of(HelloServlet.class, ItemServlet.class, BrokenServlet.class);

  private EmbeddedTomcat9() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("port", 8082);
    File baseDir = Files.createTempDirectory("legacy-war-tomcat").toFile();
    baseDir.deleteOnExit();

    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.getAbsolutePath());
    tomcat.setPort(port);
    tomcat.getConnector();
    Context context = tomcat.addContext("", baseDir.getAbsolutePath());
    for (Class<? extends HttpServlet> type : SERVLETS) {
      WebServlet mapping = type.getAnnotation(WebServlet.class);
      Tomcat.addServlet(context, mapping.name(), type.getDeclaredConstructor().newInstance());
      for (String pattern : mapping.urlPatterns()) {
        context.addServletMappingDecoded(pattern, mapping.name());
      }
    }
    tomcat.start();
    System.out.println("legacy-war started on port " + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }
}
