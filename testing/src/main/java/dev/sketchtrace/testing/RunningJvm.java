package dev.sketchtrace.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started by {@link AgentJvm}. Its output is collected continuously (so the child never
 * blocks on a full pipe) and can be awaited. Closing it destroys the process.
 */
public final class RunningJvm implements AutoCloseable {
  private final Process process;
  private final String commandLine;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  RunningJvm(Process process, String commandLine) {
    this.process = process;
    this.commandLine = commandLine;
    this.stdoutPump = pump(process.getInputStream(), stdout, "stdout");
    this.stderrPump = pump(process.getErrorStream(), stderr, "stderr");
  }

  public String stdout() {
    return stdout.toString();
  }

  public String stderr() {
    return stderr.toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until {@code text} appears on stdout or stderr; fails with the output otherwise. */
  public void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stdout().contains(text) && !stderr().contains(text)) {
      if (!process.isAlive()) {
        drainPumps();
        if (stdout().contains(text) || stderr().contains(text)) {
          return;
        }
        throw new AssertionError("the child JVM exited with " + process.exitValue()
            + " before printing '" + text + "'" + describe());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("'" + text + "' did not appear within " + timeout + describe());
      }
      sleep(20);
    }
  }

  /** Waits for the process to exit and returns its exit code; fails if it outlives the timeout. */
  public int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the child JVM did not exit within " + timeout + describe());
      }
      drainPumps();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command line and output so far, for failure messages. */
  public String describe() {
    return "\n--- command: " + commandLine + "\n--- stdout:\n" + stdout() + "\n--- stderr:\n"
        + stderr();
  }

  private void drainPumps() {
    try {
      stdoutPump.join(2000);
      stderrPump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream in, StringBuffer sink, String name) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          sink.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "child-jvm-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
