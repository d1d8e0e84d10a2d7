package dev.sketchtrace.benchmarks.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JDBC benchmarks in one session: {@link SqlSanitizerBenchmark} once (no agent: it is the
 * folder thread's work, measured directly), then {@link JdbcExecuteBenchmark} in forked JVMs with no
 * agent, the Sketchtrace agent and the OpenTelemetry Java agent, interleaved over {@code
 * bench.rounds} rounds, and prints what each agent adds per query side by side: wall time (JMH's
 * score), CPU time of the benchmark thread and of the whole JVM ({@link CpuTimeProfiler}; these
 * survive a loaded machine, the wall time does not) and allocation.
 *
 * <p>System properties: {@code sketchtrace.agent.jar}, {@code otel.agent.jar} (a missing one skips
 * that run), {@code sketchtrace.baseline.jar} (an earlier build of the agent, run as {@code
 * st-baseline} for a before/after in the same session), {@code bench.sketchtrace.opts} (extra JVM
 * options of the {@code sketchtrace} run only, space-separated), {@code bench.rounds} (default 1), {@code bench.include} (a regex over the benchmark
 * method names, default all), {@code bench.sanitizer} / {@code bench.execute}
 * ({@code false} skips part 1 / part 2).
 */
public final class JdbcOverhead {
  private JdbcOverhead() {}

  public static void main(String[] args) throws Exception {
    if (!"false".equals(System.getProperty("bench.sanitizer"))) {
      sanitizer();
    }
    if ("false".equals(System.getProperty("bench.execute"))) {
      return;
    }
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", List.of());
    String baseline = System.getProperty("sketchtrace.baseline.jar");
    if (baseline != null && Files.isRegularFile(Paths.get(baseline))) {
      configs.put("st-baseline", List.of("-javaagent:" + baseline, "-Dsketchtrace.export.interval=10s"));
    }
    String ours = System.getProperty("sketchtrace.agent.jar");
    if (ours != null && Files.isRegularFile(Paths.get(ours))) {
      List<String> ourArgs = new ArrayList<>(List.of("-javaagent:" + ours, "-Dsketchtrace.export.interval=10s"));
      String extra = System.getProperty("bench.sketchtrace.opts", "").trim();
      if (!extra.isEmpty()) {
        ourArgs.addAll(List.of(extra.split("\\s+")));
      }
      configs.put("sketchtrace", ourArgs);
    }
    String otel = System.getProperty("otel.agent.jar");
    if (otel != null && Files.isRegularFile(Paths.get(otel))) {
      configs.put("opentelemetry", List.of("-javaagent:" + otel, "-Dotel.metric.export.interval=10000",
          "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none"));
    }
    int rounds = Integer.getInteger("bench.rounds", 1);
    String include = System.getProperty("bench.include", ".*");
    // results[config][benchmark] = per round {score, error, alloc}
    Map<String, Map<String, List<double[]>>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<String>> config : configs.entrySet()) {
        int port = freePort();
        List<String> jvmArgs = new ArrayList<>(config.getValue());
        jvmArgs.add("-Dbench.port=" + port);
        jvmArgs.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + port);
        jvmArgs.add("-Dotel.exporter.otlp.protocol=http/protobuf");
        jvmArgs.add("-Dotel.service.name=jdbc-bench");
        OptionsBuilder options = new OptionsBuilder();
        options.include(JdbcExecuteBenchmark.class.getName() + "." + include)
            .addProfiler("gc")
            .addProfiler(CpuTimeProfiler.class)
            .jvmArgsAppend(jvmArgs.toArray(new String[0]));
        for (RunResult result : new Runner(options.build()).run()) {
          String benchmark = result.getParams().getBenchmark();
          benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
          Result<?> primary = result.getPrimaryResult();
          Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
          Result<?> workerCpu = result.getSecondaryResults().get("cpu.worker");
          Result<?> processCpu = result.getSecondaryResults().get("cpu.process");
          results.computeIfAbsent(config.getKey(), k -> new LinkedHashMap<>())
              .computeIfAbsent(benchmark, k -> new ArrayList<>())
              .add(new double[] {primary.getScore(), primary.getScoreError(), score(alloc),
                  score(workerCpu), score(processCpu)});
        }
      }
    }
    print(results);
  }

  private static double score(Result<?> result) {
    return result == null ? Double.NaN : result.getScore();
  }

  private static void sanitizer() throws Exception {
    OptionsBuilder options = new OptionsBuilder();
    options.include(SqlSanitizerBenchmark.class.getName() + ".*");
    options.addProfiler(CpuTimeProfiler.class); // the thread's CPU time survives a loaded machine
    List<String> lines = new ArrayList<>();
    for (RunResult result : new Runner(options.build()).run()) {
      String benchmark = result.getParams().getBenchmark();
      String shape = result.getParams().getParam("shape");
      Result<?> r = result.getPrimaryResult();
      String sql = shape.equals("short") ? SqlSanitizerBenchmark.SHORT
          : shape.equals("medium") ? SqlSanitizerBenchmark.MEDIUM : SqlSanitizerBenchmark.LONG;
      String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      // throughput in characters only means something where the text is actually lexed
      double cpu = score(result.getSecondaryResults().get("cpu.worker"));
      String charsPerSecond = name.equals("sanitize")
          ? String.format("%.1f", sql.length() / cpu * 1e9 / 1e6) : "-";
      lines.add(String.format("%-20s %-8s %6d %12.1f %10.1f %10.1f %14s", name, shape, sql.length(),
          r.getScore(), r.getScoreError(), cpu, charsPerSecond));
    }
    System.out.println();
    System.out.println("JDBC folder-thread work (JMH avgt, ns/op, one thread; cpu = the thread's CPU"
        + " time per op, Mchars/s from it)");
    System.out.printf("%-20s %-8s %6s %12s %10s %10s %14s%n", "benchmark", "shape", "chars", "ns/op", "+/-",
        "cpu ns", "Mchars/s");
    lines.forEach(System.out::println);
  }

  private static void print(Map<String, Map<String, List<double[]>>> results) {
    Map<String, List<double[]>> base = results.get("no agent");
    System.out.println();
    System.out.println("JDBC executeQuery on a no-op driver, per query (JMH avgt; medians over rounds, "
        + "+/- the last round's 99.9% error). wall = JMH score; cpu app = CPU time of the benchmark "
        + "thread; cpu jvm = CPU time of the whole JVM (agent threads, sink, GC, JIT included)");
    System.out.printf("%-14s %-22s %9s %8s %10s %12s %12s %12s %12s%n", "run", "benchmark", "wall ns",
        "+/-", "added wall", "cpu app ns", "added app", "cpu jvm ns", "added B/op");
    Map<String, double[]> addedOurs = new LinkedHashMap<>();
    Map<String, double[]> addedOtel = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, List<double[]>>> config : results.entrySet()) {
      for (Map.Entry<String, List<double[]>> bench : config.getValue().entrySet()) {
        double[] m = median(bench.getValue());
        double[] b = median(base.get(bench.getKey()));
        double[] last = bench.getValue().get(bench.getValue().size() - 1);
        System.out.printf("%-14s %-22s %9.1f %8.1f %10.1f %12.1f %12.1f %12.1f %12.0f%n", config.getKey(),
            bench.getKey(), m[0], last[1], m[0] - b[0], m[3], m[3] - b[3], m[4], m[2] - b[2]);
        double[] added = {m[0] - b[0], m[3] - b[3], m[4] - b[4]};
        if (config.getKey().equals("sketchtrace")) {
          addedOurs.put(bench.getKey(), added);
        } else if (config.getKey().equals("opentelemetry")) {
          addedOtel.put(bench.getKey(), added);
        }
      }
    }
    for (String bench : addedOurs.keySet()) {
      double[] ours = addedOurs.get(bench);
      double[] otel = addedOtel.get(bench);
      if (otel != null) {
        System.out.printf("%s added by Sketchtrace / OpenTelemetry: wall %.1f / %.1f ns (ratio %.2f), "
                + "app-thread CPU %.1f / %.1f ns (ratio %.2f), JVM CPU %.1f / %.1f ns (ratio %.2f)%n",
            bench, ours[0], otel[0], ours[0] / otel[0], ours[1], otel[1], ours[1] / otel[1],
            ours[2], otel[2], ours[2] / otel[2]);
      }
    }
  }

  private static double[] median(List<double[]> runs) {
    double[] out = new double[runs.get(0).length];
    for (int i = 0; i < out.length; i++) {
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
