package dev.sketchtrace.benchmarks.agent;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost on the application thread of one span, as advice pays it: read the current span, create
 * the event (ids, clock), make it current and restore, end it (clock, CAS, queue offer). A
 * background thread drains the queue the way the folder does, so offers succeed rather than hit a
 * full queue; it parks 0.1 ms whenever the queue is empty (the queue holds 65,536 events, far more
 * than producers offer in that time). Run with 1, 2 and 8 producer threads:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SpanStartEndBenchmark -prof gc</pre>
 *
 * {@code -prof gc} shows the allocation per operation: the event itself is the only allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanStartEndBenchmark {
  private Thread drainer;
  private volatile boolean draining;

  @Setup(Level.Trial)
  public void startDrainer() {
    EventQueue.install(1 << 16);
    draining = true;
    drainer =
        new Thread(
            () -> {
              while (draining) {
                if (EventQueue.drain(e -> {}, 4096) == 0) {
                  // Park like the agent's folder, rather than spin: on a small machine a spinning
                  // drainer takes a core from the producer threads being measured.
                  LockSupport.parkNanos(100_000);
                }
              }
            },
            "drainer");
    drainer.setDaemon(true);
    drainer.start();
  }

  @TearDown(Level.Trial)
  public void stopDrainer() throws InterruptedException {
    draining = false;
    drainer.join();
  }

  private static SpanEvent startAndEnd() {
    CustomSpan span = new CustomSpan(CurrentSpan.get(), "op", SpanKind.INTERNAL);
    SpanEvent previous = CurrentSpan.attach(span);
    CurrentSpan.restore(previous);
    span.end();
    return span;
  }

  @Benchmark
  @Threads(1)
  public SpanEvent oneThread() {
    return startAndEnd();
  }

  @Benchmark
  @Threads(2)
  public SpanEvent twoThreads() {
    return startAndEnd();
  }

  @Benchmark
  @Threads(8)
  public SpanEvent eightThreads() {
    return startAndEnd();
  }
}
