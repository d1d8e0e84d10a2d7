package dev.sketchtrace.it.servlet;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat 10.1 (jakarta) serving {@link JakartaRoutes}; prints {@code READY port=N}. */
public final class Tomcat10App {
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat10").toString());
    tomcat.setPort(0);
    Context context = tomcat.addContext("", Files.createTempDirectory("docroot").toString());
    context.addServletContainerInitializer(new JakartaRoutes(), null);
    // A real Tomcat serves unmapped paths with its DefaultServlet (a 404 for a missing file).
    Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
    context.addServletMappingDecoded("/", "default");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("READY port=" + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }
}
