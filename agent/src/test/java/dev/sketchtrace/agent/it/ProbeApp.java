package dev.sketchtrace.agent.it;

/**
 * Child-JVM app for tests (c), (d) and (e): reports whether the agent's bootstrap classes are on the
 * bootstrap class loader and which agent threads run, then emits {@code args[0]} spans as fast as
 * it can through the public API, in batches every {@code args[1]} ms for {@code args[2]} rounds.
 */
public final class ProbeApp {
  public static void main(String[] args) throws Exception {
    int perRound = Integer.parseInt(args[0]);
    long pauseMillis = Long.parseLong(args[1]);
    int rounds = Integer.parseInt(args[2]);
    boolean bootstrap;
    try {
      Class.forName("dev.sketchtrace.bootstrap.EventQueue", false, null);
      bootstrap = true;
    } catch (ClassNotFoundException e) {
      bootstrap = false;
    }
    System.out.println("bootstrap-classes=" + bootstrap);
    System.out.println("agent-active=" + dev.sketchtrace.api.Tracing.isAgentActive());
    long emitted = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < perRound; i++) {
        dev.sketchtrace.api.Tracing.startSpan("probe").end();
        emitted++;
      }
      Thread.sleep(pauseMillis);
    }
    StringBuilder threads = new StringBuilder();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("sketchtrace")) {
        threads.append(t.getName()).append(' ');
      }
    }
    System.out.println("agent-threads=[" + threads.toString().trim() + "]");
    System.out.println("emitted=" + emitted);
    System.out.println("done");
  }
}
