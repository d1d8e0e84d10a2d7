package dev.sketchtrace.it.servlet;

import java.lang.reflect.Method;
import java.nio.file.Files;

/**
 * Embedded Tomcat 9 (javax) serving {@link JavaxRoutes}; prints {@code READY port=N}. Runs on
 * {@code target/libs/tomcat9} plus the test classes: Tomcat's own classes are reached by reflection
 * because the test class path compiles against Tomcat 10, whose signatures name jakarta types.
 */
public final class Tomcat9App {
  public static void main(String[] args) throws Exception {
    Class<?> tomcatClass = Class.forName("org.apache.catalina.startup.Tomcat");
    Object tomcat = tomcatClass.getConstructor().newInstance();
    call(tomcat, "setBaseDir", Files.createTempDirectory("tomcat9").toString());
    call(tomcat, "setPort", 0);
    Object context = call(tomcat, "addContext", "", Files.createTempDirectory("docroot").toString());
    call(context, "addServletContainerInitializer", new JavaxRoutes(), null);
    tomcatClass
        .getMethod("addServlet", Class.forName("org.apache.catalina.Context"), String.class, String.class)
        .invoke(null, context, "default", "org.apache.catalina.servlets.DefaultServlet");
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
