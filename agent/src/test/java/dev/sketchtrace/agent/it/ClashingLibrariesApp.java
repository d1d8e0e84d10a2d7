package dev.sketchtrace.agent.it;

import io.opentelemetry.api.OpenTelemetry;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.jctools.queues.MpscArrayQueue;

/**
 * Child-JVM app for test (a): it uses its own versions of Byte Buddy, the OpenTelemetry API and
 * JCTools — libraries the agent bundles in other versions — and prints which jar each came from.
 */
public final class ClashingLibrariesApp {
  public static void main(String[] args) throws Exception {
    Class<?> generated =
        new ByteBuddy()
            .subclass(Object.class)
            .implement(Callable.class)
            .method(ElementMatchers.named("call"))
            .intercept(FixedValue.value("generated"))
            .make()
            .load(ClashingLibrariesApp.class.getClassLoader())
            .getLoaded();
    Object value = ((Callable<?>) generated.getDeclaredConstructor().newInstance()).call();
    MpscArrayQueue<String> queue = new MpscArrayQueue<>(8);
    queue.offer("queued");
    OpenTelemetry otel = OpenTelemetry.noop();
    System.out.println("bytebuddy=" + value + " from " + jarOf(ByteBuddy.class));
    System.out.println("jctools=" + queue.poll() + " from " + jarOf(MpscArrayQueue.class));
    System.out.println("otel=" + (otel.getTracer("app") != null) + " from " + jarOf(OpenTelemetry.class));
    awaitAgentPipeline();
    System.out.println("done");
  }

  /**
   * Stays until the agent's exporter runs (at most 30 s): the agent installs and starts in the
   * background, and its shutdown hook exports only once its pipeline is up.
   */
  private static void awaitAgentPipeline() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("sketchtrace-export")) {
          Thread.sleep(500); // the starter hands the running pipeline to the shutdown hook next
          return;
        }
      }
      Thread.sleep(50);
    }
  }

  private static String jarOf(Class<?> c) {
    return String.valueOf(c.getProtectionDomain().getCodeSource().getLocation());
  }
}
