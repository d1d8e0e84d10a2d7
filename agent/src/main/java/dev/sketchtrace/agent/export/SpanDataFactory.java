package dev.sketchtrace.agent.export;

import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.TraceParent;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.List;

/**
 * Converts a kept span event into {@link AgentSpanData}, asking the event's mapper for the name and
 * the sanitized attributes. Runs on the folder thread, only for spans that are exported. Not
 * thread-safe.
 */
public final class SpanDataFactory {
  /** Longest {@code exception.stacktrace} exported; the rest is cut. */
  static final int MAX_STACKTRACE_CHARS = 8192;

  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final EpochClock clock;

  public SpanDataFactory(Resource resource, InstrumentationScopeInfo scope, EpochClock clock) {
    this.resource = resource;
    this.scope = scope;
    this.clock = clock;
  }

  public <E extends SpanEvent> AgentSpanData create(E event, SpanMapper<E> mapper, String errorType) {
    OtelAttributes attributes = new OtelAttributes();
    mapper.spanAttributes(event, attributes);
    if (errorType != null) {
      attributes.put(ERROR_TYPE.getKey(), errorType);
    }
    String traceId = TraceParent.traceIdHex(event.traceIdHigh(), event.traceIdLow());
    TraceFlags flags = TraceFlags.fromByte(event.traceFlags());
    TraceState state = traceState(event.traceState());
    SpanContext context =
        SpanContext.create(traceId, TraceParent.spanIdHex(event.spanId()), flags, state);
    SpanContext parent =
        event.parentSpanId() == 0L
            ? SpanContext.getInvalid()
            : event.isParentRemote()
                ? SpanContext.createFromRemoteParent(
                    traceId, TraceParent.spanIdHex(event.parentSpanId()), flags, state)
                : SpanContext.create(
                    traceId, TraceParent.spanIdHex(event.parentSpanId()), flags, state);
    long end = clock.toEpochNanos(event.endNanoTime());
    List<EventData> events = Collections.emptyList();
    Throwable exception = event.exception();
    if (exception != null) {
      events = Collections.singletonList(exceptionEvent(exception, end));
    }
    StatusData status = errorType != null ? StatusData.create(StatusCode.ERROR, errorType) : StatusData.unset();
    return new AgentSpanData(
        resource,
        scope,
        mapper.spanName(event),
        kind(event),
        context,
        parent,
        status,
        clock.toEpochNanos(event.startNanoTime()),
        end,
        attributes.build(),
        events);
  }

  private static SpanKind kind(SpanEvent event) {
    switch (event.kind()) {
      case SERVER:
        return SpanKind.SERVER;
      case CLIENT:
        return SpanKind.CLIENT;
      default:
        return SpanKind.INTERNAL;
    }
  }

  private static EventData exceptionEvent(Throwable t, long epochNanos) {
    StringWriter trace = new StringWriter();
    try {
      t.printStackTrace(new PrintWriter(trace));
    } catch (RuntimeException e) {
      // A throwable whose printing fails still gets its type exported.
    }
    String stack = trace.toString();
    if (stack.length() > MAX_STACKTRACE_CHARS) {
      stack = stack.substring(0, MAX_STACKTRACE_CHARS);
    }
    String message = null;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      // The application's getMessage() failed: export without it.
    }
    Attributes attributes =
        message == null
            ? Attributes.of(EXCEPTION_TYPE, t.getClass().getName(), EXCEPTION_STACKTRACE, stack)
            : Attributes.of(
                EXCEPTION_TYPE, t.getClass().getName(),
                EXCEPTION_MESSAGE, message,
                EXCEPTION_STACKTRACE, stack);
    return EventData.create(epochNanos, "exception", attributes);
  }

  /** W3C tracestate {@code k1=v1,k2=v2}; malformed members are skipped. */
  static TraceState traceState(String header) {
    if (header == null) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    String[] members = header.split(",");
    // The builder puts new keys in front; adding in reverse keeps the header's order.
    for (int i = members.length - 1; i >= 0; i--) {
      String member = members[i].trim();
      int eq = member.indexOf('=');
      if (eq > 0) {
        builder.put(member.substring(0, eq), member.substring(eq + 1));
      }
    }
    return builder.build();
  }
}
