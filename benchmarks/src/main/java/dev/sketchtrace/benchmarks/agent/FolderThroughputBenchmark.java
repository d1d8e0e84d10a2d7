package dev.sketchtrace.benchmarks.agent;

import dev.sketchtrace.agent.export.ExportBatch;
import dev.sketchtrace.agent.fold.AgentCounters;
import dev.sketchtrace.agent.fold.CustomSpanMapper;
import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.agent.fold.FoldSettings;
import dev.sketchtrace.agent.fold.Folder;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.bootstrap.SpanKind;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The folder's throughput on one thread: events folded per second (mapper, series lookup, sketch
 * update, trace decision). Events are pre-made and re-folded; 16 series; {@code sampled}: whether
 * the head sampler keeps the traces (then every event is also converted to an exported span).
 *
 * <p>Runs from the benchmarks jar, which carries the agent's own (unshaded) classes: {@code java -jar
 * benchmarks/target/benchmarks.jar FolderThroughput}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FolderThroughputBenchmark {
  private static final int EVENTS = 4096;

  @Param({"false"})
  public boolean sampled;

  private Folder folder;
  private CustomSpan[] events;

  @Setup
  public void setUp() {
    EventQueue.install(EVENTS * 2);
    HeadSampler.configure(sampled ? 1.0 : 0.0, false);
    List<SpanMapper<?>> mappers = Collections.singletonList(new CustomSpanMapper());
    folder =
        new Folder(
            new FoldSettings(Duration.ofHours(1), false, 2000, 256, 50, 20_000, 1_000, true),
            mappers, new EpochClock(), Resource.empty(), InstrumentationScopeInfo.create("bench"),
            new AgentCounters(), (ExportBatch b) -> {});
    events = new CustomSpan[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = new CustomSpan(null, "op-" + (i % 16), SpanKind.INTERNAL);
      events[i].end();
    }
    EventQueue.drain(e -> {}, EVENTS * 2);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void fold() {
    for (CustomSpan event : events) {
      folder.onEvent(event);
    }
  }
}
