package dev.sketchtrace.it.servlet;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Embedded Tomcat 10.1 with Jersey 3.1's {@code ServletContainer} mapped to {@code /api/*} serving
 * {@link JerseyResources}, next to a plain {@code /hello} servlet; prints {@code READY port=N}.
 */
public final class Jersey3Tomcat10App {
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("jersey3").toString());
    tomcat.setPort(0);
    Context context = tomcat.addContext("", Files.createTempDirectory("docroot").toString());
    ResourceConfig resources =
        new ResourceConfig(JerseyResources.Owners.class, JerseyResources.Health.class)
            .property("jersey.config.server.wadl.disableWadl", true);
    Wrapper jersey = Tomcat.addServlet(context, "jersey", new ServletContainer(resources));
    jersey.setAsyncSupported(true);
    context.addServletMappingDecoded("/api/*", "jersey");
    Tomcat.addServlet(context, "hello", new JakartaRoutes.Text("hello"));
    context.addServletMappingDecoded("/hello", "hello");
    Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
    context.addServletMappingDecoded("/", "default");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("READY port=" + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }
}
