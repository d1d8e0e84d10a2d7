package dev.sketchtrace.smoke;

import dev.sketchtrace.testing.AgentJvm;
import dev.sketchtrace.testing.RunningJvm;

/** A sample app's JVM and the port it serves on. Closing it stops the JVM. */
record RunningApp(RunningJvm jvm, int port) implements AutoCloseable {

  /** Starts the app on a free port (passed the way {@code portArgument} formats it) and waits until it is ready. */
  static RunningApp start(AgentJvm.Builder builder, String portArgumentFormat, String readyLine) {
    int port = SampleApps.freePort();
    RunningJvm jvm = builder.args(String.format(portArgumentFormat, port)).start();
    try {
      jvm.awaitOutput(readyLine, SampleApps.STARTUP_TIMEOUT);
    } catch (RuntimeException | Error e) {
      jvm.close();
      throw e;
    }
    return new RunningApp(jvm, port);
  }

  /** Runs {@code checks}; when they fail, the failure carries the end of each app's output. */
  static void withLogsOnFailure(Runnable checks, RunningApp... apps) {
    try {
      checks.run();
    } catch (AssertionError | RuntimeException e) {
      StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
      for (RunningApp app : apps) {
        String output = app.jvm.describe();
        message.append("\n=== app on port ").append(app.port).append(" (last 12000 characters) ===\n")
            .append(output, Math.max(0, output.length() - 12_000), output.length());
      }
      throw new AssertionError(message.toString(), e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    jvm.close();
  }
}
