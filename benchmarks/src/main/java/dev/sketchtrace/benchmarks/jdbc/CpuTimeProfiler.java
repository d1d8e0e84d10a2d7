package dev.sketchtrace.benchmarks.jdbc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, which survives a loaded machine far better than JMH's wall-clock score:
 * time the benchmark thread spends descheduled (other processes, or the agent's own folder thread
 * taking the core) is not counted. Two figures per iteration, both divided by the operations JMH
 * counted:
 *
 * <ul>
 *   <li>{@code cpu.worker} — CPU time of the JMH worker thread(s): what the benchmark method, and so
 *       the agent's advice inlined into it, costs the application thread;
 *   <li>{@code cpu.process} — CPU time of the whole forked JVM: the above plus every agent thread
 *       (folder, exporter), the benchmark's own OTLP sink, GC and JIT. The total price per query.
 * </ul>
 *
 * <p>Runs inside the forked JVM (JMH calls it around each iteration on its control thread, so it
 * finds the workers by JMH's thread name, {@code ...-jmh-worker-N}).
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> workerCpuBefore = new HashMap<>();
  private long processCpuBefore;

  @Override
  public String getDescription() {
    return "CPU time per operation: JMH worker threads and the whole JVM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    workerCpuBefore = workerCpu();
    processCpuBefore = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long process = os.getProcessCpuTime() - processCpuBefore;
    long worker = 0;
    for (Map.Entry<Long, Long> now : workerCpu().entrySet()) {
      // a worker started during the iteration counts from zero
      worker += now.getValue() - workerCpuBefore.getOrDefault(now.getKey(), 0L);
    }
    long ops = Math.max(result.getMetadata().getAllOps(), 1L);
    List<Result> out = new ArrayList<>();
    out.add(new ScalarResult("cpu.worker", (double) worker / ops, "ns/op", AggregationPolicy.AVG));
    out.add(new ScalarResult("cpu.process", (double) process / ops, "ns/op", AggregationPolicy.AVG));
    return out;
  }

  private Map<Long, Long> workerCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long time = threads.getThreadCpuTime(info.getThreadId());
        if (time >= 0) {
          cpu.put(info.getThreadId(), time);
        }
      }
    }
    return cpu;
  }
}
