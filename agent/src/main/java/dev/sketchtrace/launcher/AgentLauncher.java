package dev.sketchtrace.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The {@code Premain-Class} and {@code Agent-Class} of {@code telemetry-agent.jar}.
 *
 * <p>This class and {@link AgentClassLoader} are the only agent code the application's class
 * loader can see, so they depend on nothing but the JDK. The launcher opens the agent's isolated
 * class loader and hands off by reflection to {@code dev.sketchtrace.agent.AgentMain}; whatever goes
 * wrong is caught here as one line on stderr, so a broken agent never stops the application.
 */
public final class AgentLauncher {
  private static final String AGENT_MAIN = "dev.sketchtrace.agent.AgentMain";

  private AgentLauncher() {}

  public static void premain(String args, Instrumentation instrumentation) {
    launch(args, instrumentation, true);
  }

  public static void agentmain(String args, Instrumentation instrumentation) {
    launch(args, instrumentation, false);
  }

  private static void launch(String args, Instrumentation instrumentation, boolean atStartup) {
    try {
      File jar = agentJar();
      AgentClassLoader loader = new AgentClassLoader(new JarFile(jar, false));
      Class<?> main = Class.forName(AGENT_MAIN, true, loader);
      Method start =
          main.getMethod("start", Instrumentation.class, File.class, String.class, boolean.class);
      start.invoke(null, instrumentation, jar, args, atStartup);
    } catch (Throwable t) {
      System.err.println("[sketchtrace] agent not started, the application runs without it: " + t);
    }
  }

  private static File agentJar() throws Exception {
    CodeSource source = AgentLauncher.class.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      throw new IllegalStateException("cannot locate the agent jar");
    }
    return new File(location.toURI());
  }
}
