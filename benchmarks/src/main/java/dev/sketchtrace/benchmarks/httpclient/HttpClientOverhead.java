package dev.sketchtrace.benchmarks.httpclient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link HttpClientSendBenchmark} in one session three times — no agent, the Sketchtrace agent,
 * the OpenTelemetry Java agent — each in its own forked JVM, and prints them side by side with the
 * added time per call and allocation per call (GC profiler, whole JVM) relative to no agent.
 *
 * <p>System properties: {@code sketchtrace.agent.jar} and {@code otel.agent.jar} (paths; a missing
 * one skips that run), {@code bench.rounds} (default 1): rounds of the three runs, interleaved, so
 * that drift in the machine's load hits all alike.
 */
public final class HttpClientOverhead {
  private HttpClientOverhead() {}

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", List.of());
    String ours = System.getProperty("sketchtrace.agent.jar");
    if (ours != null && Files.isRegularFile(Paths.get(ours))) {
      configs.put("sketchtrace", List.of("-javaagent:" + ours, "-Dsketchtrace.export.interval=10s"));
    }
    String otel = System.getProperty("otel.agent.jar");
    if (otel != null && Files.isRegularFile(Paths.get(otel))) {
      configs.put("opentelemetry", List.of("-javaagent:" + otel, "-Dotel.metric.export.interval=10000",
          "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none"));
    }
    int rounds = Integer.getInteger("bench.rounds", 1);
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<String>> config : configs.entrySet()) {
        int port = freePort();
        List<String> jvmArgs = new ArrayList<>(config.getValue());
        jvmArgs.add("-Dbench.port=" + port);
        jvmArgs.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + port);
        jvmArgs.add("-Dotel.service.name=httpclient-bench");
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include(HttpClientSendBenchmark.class.getName() + ".send")
            .addProfiler("gc")
            .jvmArgsAppend(jvmArgs.toArray(new String[0]));
        Collection<RunResult> run = runWhenFree(new Runner(options.build()));
        RunResult result = run.iterator().next();
        Result<?> primary = result.getPrimaryResult();
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        results.computeIfAbsent(config.getKey(), k -> new ArrayList<>()).add(new double[] {
            primary.getScore(), primary.getScoreError(), alloc == null ? Double.NaN : alloc.getScore()});
      }
    }
    print(results);
  }

  /**
   * Runs once no other JMH session holds the machine-wide JMH lock: benchmarks of other modules
   * running at the same time would skew both, so this waits (up to 20 minutes) instead.
   */
  private static Collection<RunResult> runWhenFree(Runner runner) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(20);
    while (true) {
      try {
        return runner.run();
      } catch (org.openjdk.jmh.runner.RunnerException e) {
        if (String.valueOf(e.getMessage()).contains("JMH lock") && System.nanoTime() < deadline) {
          System.err.println("another JMH run holds the lock; waiting");
          Thread.sleep(10_000);
        } else {
          throw e;
        }
      }
    }
  }

  private static void print(Map<String, List<double[]>> results) {
    double[] base = median(results.get("no agent"));
    System.out.println();
    System.out.println("HttpClient.send to a local server, app-thread time per call (JMH avgt, us/op); "
        + "medians over rounds, +/- the last round's 99.9% error");
    System.out.printf("%-14s %12s %10s %14s %16s %14s%n", "run", "us/op", "+/-", "added us/op", "alloc B/op", "added B/op");
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      double[] m = median(e.getValue());
      double[] last = e.getValue().get(e.getValue().size() - 1);
      System.out.printf("%-14s %12.2f %10.2f %14.2f %16.0f %14.0f%n", e.getKey(), m[0], last[1],
          m[0] - base[0], m[2], m[2] - base[2]);
    }
  }

  private static double[] median(List<double[]> runs) {
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      final int k = i;
      double[] values = runs.stream().mapToDouble(r -> r[k]).sorted().toArray();
      out[i] = values[values.length / 2];
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
