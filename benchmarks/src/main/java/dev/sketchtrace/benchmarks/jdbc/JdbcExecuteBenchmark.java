package dev.sketchtrace.benchmarks.jdbc;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The app-thread time of one {@code executeQuery} against {@link NoopJdbcDriver}, which does no work:
 * without an agent this is a virtual call; with an agent it is what the agent adds per query (span
 * start and end, context, SQL and connection bookkeeping, the hand-off to its export path). Run by
 * {@link JdbcOverhead} in forked JVMs without an agent, with Sketchtrace and with the OpenTelemetry
 * Java agent.
 *
 * <p>{@code executeQuery} and {@code preparedExecuteQuery} run queries back to back, about a million
 * a second with an agent: the agent's folder thread then competes with the benchmark thread for the
 * machine's cores, and that competition is part of what is measured. {@code executeQueryAmidWork}
 * spends about as much CPU as a cheap real query between queries ({@link Blackhole#consumeCPU}), so
 * the query rate and the background load are closer to an application's; its added time is the
 * difference to the same benchmark without an agent.
 *
 * <p>A local JDK HttpServer on {@code -Dbench.port} answers the agents' OTLP exports with 200, so
 * both agents do their real background export work against a live endpoint during the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class JdbcExecuteBenchmark {
  static final String SQL = "SELECT id, name FROM owners WHERE id = 42";

  private HttpServer exportSink;
  private ExecutorService sinkThreads;
  private Statement statement;
  private PreparedStatement prepared;

  @Setup
  public void setUp() throws IOException, SQLException {
    int port = Integer.getInteger("bench.port", 0);
    exportSink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    exportSink.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    sinkThreads = Executors.newSingleThreadExecutor();
    exportSink.setExecutor(sinkThreads);
    exportSink.start();
    Connection connection = NoopJdbcDriver.connect("jdbc:postgresql://db.example:5432/shop");
    statement = connection.createStatement();
    prepared = connection.prepareStatement("SELECT id, name FROM owners WHERE id = ?");
  }

  @TearDown
  public void tearDown() {
    exportSink.stop(0);
    sinkThreads.shutdownNow();
  }

  @Benchmark
  public ResultSet executeQuery() throws SQLException {
    return statement.executeQuery(SQL);
  }

  /** CPU spent between two queries, in JMH tokens (2000 measured 30-50 us here: too coarse). */
  static final long WORK_TOKENS = 200;

  @Benchmark
  public ResultSet executeQueryAmidWork() throws SQLException {
    Blackhole.consumeCPU(WORK_TOKENS);
    return statement.executeQuery(SQL);
  }

  @Benchmark
  public ResultSet preparedExecuteQuery() throws SQLException {
    return prepared.executeQuery();
  }
}
