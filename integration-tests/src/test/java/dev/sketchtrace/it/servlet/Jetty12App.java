package dev.sketchtrace.it.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 (ee10, jakarta) serving {@link JakartaRoutes}; prints {@code READY port=N}.
 * Unmapped paths reach Jetty's own default servlet, which answers 404.
 */
public final class Jetty12App {
  public static void main(String[] args) throws Exception {
    Server server = new Server(0);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(new JakartaRoutes());
    server.setHandler(context);
    server.start();
    System.out.println("READY port=" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    server.join();
  }
}
