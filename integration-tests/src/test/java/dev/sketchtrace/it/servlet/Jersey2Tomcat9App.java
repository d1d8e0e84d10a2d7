package dev.sketchtrace.it.servlet;

import java.lang.reflect.Method;
import java.nio.file.Files;

/**
 * Embedded Tomcat 9 (javax) with Jersey 2's {@code ServletContainer} mapped to {@code /api/*}
 * serving {@link Jersey2Resources} (named in its init parameters), next to a plain {@code /hello}
 * servlet; prints {@code READY port=N}. Runs on {@code target/libs/tomcat9} and {@code
 * target/libs/jersey2} plus the test classes; Tomcat and Jersey are reached by reflection and by
 * name, because the test class path compiles against Tomcat 10 and Jersey 3.
 */
public final class Jersey2Tomcat9App {
  public static void main(String[] args) throws Exception {
    Class<?> tomcatClass = Class.forName("org.apache.catalina.startup.Tomcat");
    Class<?> contextClass = Class.forName("org.apache.catalina.Context");
    Object tomcat = tomcatClass.getConstructor().newInstance();
    call(tomcat, "setBaseDir", Files.createTempDirectory("jersey2").toString());
    call(tomcat, "setPort", 0);
    Object context = call(tomcat, "addContext", "", Files.createTempDirectory("docroot").toString());
    Method addServletByClassName =
        tomcatClass.getMethod("addServlet", contextClass, String.class, String.class);
    Object jersey =
        addServletByClassName.invoke(null, context, "jersey", "org.glassfish.jersey.servlet.ServletContainer");
    call(
        jersey,
        "addInitParameter",
        "jersey.config.server.provider.classnames",
        Jersey2Resources.Owners.class.getName() + "," + Jersey2Resources.Health.class.getName());
    call(jersey, "addInitParameter", "jersey.config.server.wadl.disableWadl", "true");
    call(jersey, "setAsyncSupported", true);
    call(context, "addServletMappingDecoded", "/api/*", "jersey");
    tomcatClass
        .getMethod("addServlet", contextClass, String.class, Class.forName("javax.servlet.Servlet"))
        .invoke(null, context, "hello", new JavaxRoutes.Text("hello"));
    call(context, "addServletMappingDecoded", "/hello", "hello");
    addServletByClassName.invoke(null, context, "default", "org.apache.catalina.servlets.DefaultServlet");
    call(context, "addServletMappingDecoded", "/", "default");
    call(tomcat, "getConnector");
    call(tomcat, "start");
    System.out.println("READY port=" + call(call(tomcat, "getConnector"), "getLocalPort"));
    call(call(tomcat, "getServer"), "await");
  }

  /** Calls the public method of that name and arity (each one used here is not overloaded by arity). */
  private static Object call(Object target, String name, Object... args) throws Exception {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        return m.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(name);
  }
}
