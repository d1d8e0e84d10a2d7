package dev.sketchtrace.benchmarks.agent;

import dev.sketchtrace.agent.export.EncodedSpans;
import dev.sketchtrace.agent.export.SpanEncoder;
import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.bootstrap.DbClientSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one exported span costs the agent between the folder's decision to keep it and the bytes of
 * the OTLP request: naming it, its attributes and the protobuf encoding ({@link SpanEncoder}), per
 * span. Each operation encodes one export request of {@value #TRACES} realistic traces (a server
 * span with 12 attributes, a JDBC span, an HTTP-client span: {@value #SPANS} spans); http/protobuf
 * and grpc carry the same request bytes, so this is the per-span part of both transports (the
 * transport's own cost is per request, shared by up to 8192 spans).
 *
 * <p>JMH, with {@code -prof gc} for bytes per span: {@code java -jar
 * benchmarks/target/benchmarks.jar SpanExportBenchmark -prof gc}. On a loaded machine, where wall
 * time means little, {@link #main} reports the encoding thread's own CPU time and allocation per
 * span: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.sketchtrace.benchmarks.agent.SpanExportBenchmark [rounds]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpanExportBenchmark {
  static final int TRACES = 512;
  static final int SPANS = TRACES * 3;

  private final List<SpanEvent> events = new ArrayList<>();
  private final Map<Class<?>, SpanMapper<SpanEvent>> mappers = new HashMap<>();
  private SpanEncoder encoder;

  @Setup
  public void setUp() {
    EventQueue.install(SPANS * 2);
    HeadSampler.configure(1.0, true);
    for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class)) {
      for (SpanMapper<?> mapper : module.spanMappers()) {
        @SuppressWarnings("unchecked")
        SpanMapper<SpanEvent> m = (SpanMapper<SpanEvent>) mapper;
        mappers.put(mapper.eventType(), m);
      }
    }
    Resource resource = Resource.create(Attributes.builder()
        .put(AttributeKey.stringKey("service.name"), "petclinic")
        .put(AttributeKey.stringKey("host.name"), "web-7f9c")
        .put(AttributeKey.longKey("process.pid"), 4242L)
        .put(AttributeKey.stringKey("telemetry.sdk.name"), "opentelemetry")
        .put(AttributeKey.stringKey("telemetry.sdk.language"), "java")
        .build());
    encoder = new SpanEncoder(resource,
        InstrumentationScopeInfo.builder("dev.sketchtrace").setVersion("0.1.0").build(),
        new EpochClock());
    for (int i = 0; i < TRACES; i++) {
      addTrace(i);
    }
    EventQueue.drain(e -> {}, SPANS * 2);
  }

  /** A request as the servlet, JDBC and HTTP-client advice record it. */
  private void addTrace(int i) {
    HttpServerSpan server = new HttpServerSpan(
        i % 2 == 0 ? null : "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
    server.setMethod("GET");
    server.setScheme("http");
    server.setServerAddress("petclinic.example.com");
    server.setServerPort(8080);
    server.setPath("/owners/" + i);
    server.setQuery("lastName=Franklin&page=" + (i % 5));
    server.setRoute("/owners/{ownerId}");
    server.setStatusCode(200);
    server.setClientAddress("10.0.3." + (i % 250));
    server.setUserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    server.setProtocolVersion("HTTP/1.1");
    DbClientSpan query = new DbClientSpan(server);
    query.setSql("SELECT o.id, o.first_name, o.last_name, o.city FROM owners o WHERE o.id = " + i);
    query.setConnectionUrl("jdbc:postgresql://db.internal:5432/petclinic");
    query.setUser("petclinic");
    HttpClientSpan call = new HttpClientSpan(server);
    call.setMethod("GET");
    call.setUrl("http://vets.internal:8081/vets/" + (i % 7) + "?expand=specialties");
    call.setServerAddress("vets.internal");
    call.setServerPort(8081);
    call.setStatusCode(200);
    call.setProtocolVersion("1.1");
    query.end();
    call.end();
    server.end();
    events.add(query);
    events.add(call);
    events.add(server);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public EncodedSpans encode() {
    for (SpanEvent event : events) {
      SpanMapper<SpanEvent> mapper = mappers.get(event.getClass());
      encoder.encode(event, mapper, mapper.errorType(event));
    }
    return encoder.drain();
  }

  /** CPU µs and bytes allocated per span on this thread, after a warm-up of the same length. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    SpanExportBenchmark bench = new SpanExportBenchmark();
    bench.setUp();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long bytes = 0;
    for (int i = 0; i < rounds; i++) {
      bytes += bench.encode().request().length;
    }
    long cpu0 = threads.getCurrentThreadCpuTime();
    long alloc0 = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < rounds; i++) {
      bytes += bench.encode().request().length;
    }
    long spans = (long) rounds * SPANS;
    System.out.printf("%d spans: %.2f µs CPU/span, %.0f B allocated/span, %.0f B encoded/span%n",
        spans, (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / spans,
        (double) (threads.getCurrentThreadAllocatedBytes() - alloc0) / spans,
        (double) bytes / (2 * spans));
  }
}
