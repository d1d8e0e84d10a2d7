package dev.sketchtrace.benchmarks.jdbc;

import dev.sketchtrace.bootstrap.ThreadContext;
import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import dev.sketchtrace.bootstrap.jdbc.JdbcStatements;
import dev.sketchtrace.bootstrap.jdbc.StatementState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the steps the JDBC execute advice takes per query cost on their own, in one JVM without an
 * agent (the bootstrap classes are on the class path): a clock read, the thread-context lookup, and
 * the two weak-map lookups (a connection's URL, a prepared statement's state). Tells which step is
 * worth removing before the forked {@link JdbcExecuteBenchmark} shows the sum; run with {@code -prof
 * gc} to see that the lookups allocate nothing. The span's own start and end belong to
 * {@code SpanStartEndBenchmark} in the agent benchmarks. Run by {@code STEPS=true
 * benchmarks/jdbc/run.sh}, which reports the CPU time of the benchmark thread per operation
 * ({@link CpuTimeProfiler}) beside the wall-clock score, as the machine is shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcAdviceStepsBenchmark {
  /** Stand-ins for a driver's connection and statement: the maps key on identity only. */
  private final Object connection = new Object();
  private final Object statement = new Object();

  @Setup
  public void setUp() {
    JdbcConnections.readUrlsWith(connection -> "jdbc:postgresql://db.example:5432/shop");
    JdbcStatements.prepared(statement, JdbcExecuteBenchmark.SQL, JdbcConnections.urlOf(connection));
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public ThreadContext threadContext() {
    return ThreadContext.get();
  }

  @Benchmark
  public String connectionUrl() {
    return JdbcConnections.urlOf(connection);
  }

  @Benchmark
  public StatementState statementState() {
    return JdbcStatements.state(statement);
  }
}
