package dev.sketchtrace.benchmarks.collector;

import java.util.Random;

/** Stateless: OTLP request bodies for the load generator, encoded once. */
final class OtlpBodies {
  private OtlpBodies() {}

  private static ProtoWriter resource(String service) {
    return new ProtoWriter().messageField(1, ProtoWriter.attribute("service.name", service));
  }

  /**
   * An {@code ExportTraceServiceRequest} of {@code spans} server spans. Their trace ids are
   * all-{@code 0x11} placeholders that {@link IngestLoad} overwrites per request (found by search),
   * so every request stores new spans rather than overwriting old ones.
   */
  static byte[] traces(String service, int spans, long startNanos, Random random) {
    ProtoWriter scope = new ProtoWriter();
    for (int i = 0; i < spans; i++) {
      byte[] trace = new byte[16];
      java.util.Arrays.fill(trace, (byte) 0x11);
      byte[] span = new byte[8];
      random.nextBytes(span);
      span[0] |= 1;
      long start = startNanos + i * 1_000_000L;
      scope.messageField(2, new ProtoWriter()
          .bytesField(1, trace).bytesField(2, span).stringField(5, "GET /owners/{id}").varintField(6, 2)
          .fixed64Field(7, start).fixed64Field(8, start + 1_000_000L + random.nextInt(50_000_000))
          .messageField(9, ProtoWriter.attribute("http.route", "/owners/{id}"))
          .messageField(9, ProtoWriter.attribute("http.request.method", "GET")));
    }
    ProtoWriter rs = new ProtoWriter().messageField(1, resource(service)).messageField(2, scope);
    return new ProtoWriter().messageField(1, rs).toByteArray();
  }

  /**
   * An {@code ExportMetricsServiceRequest} with one DELTA exponential histogram
   * ({@code http.server.request.duration}) of {@code points} points, one per series
   * {@code route=/r<firstSeries + i>}, all stamped {@code timeNanos}.
   */
  static byte[] metrics(String service, int points, int firstSeries, long timeNanos, Random random) {
    ProtoWriter histogram = new ProtoWriter();
    for (int i = 0; i < points; i++) {
      long[] counts = new long[24];
      long count = 0;
      for (int b = 0; b < counts.length; b++) {
        counts[b] = random.nextInt(5);
        count += counts[b];
      }
      counts[0] = counts[0] + 1;
      counts[counts.length - 1] = counts[counts.length - 1] + 1;
      count += 2;
      histogram.messageField(1, new ProtoWriter()
          .messageField(1, ProtoWriter.attribute("http.route", "/r" + (firstSeries + i)))
          .messageField(1, ProtoWriter.attribute("http.request.method", "GET"))
          .fixed64Field(2, timeNanos - 10_000_000_000L).fixed64Field(3, timeNanos)
          .fixed64Field(4, count).doubleField(5, count * 0.02).sint32Field(6, 3)
          .messageField(8, new ProtoWriter().sint32Field(1, -60).packedVarints(2, counts)));
    }
    histogram.varintField(2, 1); // AGGREGATION_TEMPORALITY_DELTA
    ProtoWriter metric = new ProtoWriter().stringField(1, "http.server.request.duration").stringField(3, "s").messageField(10, histogram);
    ProtoWriter rm = new ProtoWriter().messageField(1, resource(service)).messageField(2, new ProtoWriter().messageField(2, metric));
    return new ProtoWriter().messageField(1, rm).toByteArray();
  }
}
