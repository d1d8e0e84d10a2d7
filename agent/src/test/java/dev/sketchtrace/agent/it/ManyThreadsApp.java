package dev.sketchtrace.agent.it;

import dev.sketchtrace.api.Scope;
import dev.sketchtrace.api.Span;
import dev.sketchtrace.api.Tracing;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM app: {@code threads} threads each start and end {@code perThread} spans named "work"
 * through the public API, then one parent span with one child made current, then it exits (the
 * agent's shutdown hook flushes). Prints the parent's ids so the test can check the linkage.
 */
public final class ManyThreadsApp {
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int perThread = Integer.parseInt(args[1]);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  Span span = Tracing.startSpan("work");
                  span.setAttribute("worker", "yes");
                  span.end();
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    Span parent = Tracing.startSpan("parent");
    try (Scope scope = parent.makeCurrent()) {
      Span child = Tracing.startSpan("child");
      child.recordException(new IllegalStateException("boom"));
      child.end();
    }
    parent.end();
    System.out.println("agent-active=" + Tracing.isAgentActive());
    System.out.println("parent=" + parent.traceId() + "/" + parent.spanId());
    System.out.println("done");
  }
}
