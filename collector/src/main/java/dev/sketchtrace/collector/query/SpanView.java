package dev.sketchtrace.collector.query;

import java.util.Map;

/** Immutable: a stored span as the query layer shows it (ids in lowercase hex, "" when absent). */
public record SpanView(
    String traceId, String spanId, String parentSpanId, String service, String name, String kind,
    long startUnixNano, long endUnixNano, String statusCode, String statusMessage,
    Map<String, String> attributes) {}
