package dev.sketchtrace.agent;

import dev.sketchtrace.agent.config.Config;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Where the launcher hands off, inside the agent's isolated class loader.
 *
 * <p>With {@code sketchtrace.enabled=false} it returns at once: nothing is appended, installed or
 * started. Otherwise it appends the jar (whose root holds the bootstrap classes) to the bootstrap
 * class loader and only then lets {@link Agent} — the first class that links against the bootstrap
 * classes — install and start everything.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void start(
      Instrumentation instrumentation, File agentJar, String args, boolean atStartup)
      throws Exception {
    Config config = Config.fromEnvironment(AgentLog::warn);
    if (!config.getBoolean("sketchtrace.enabled", true)) {
      return;
    }
    AgentLog.setDebug(config.getBoolean("sketchtrace.debug", false));
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar, false));
    Agent.start(instrumentation, agentJar, config);
  }
}
