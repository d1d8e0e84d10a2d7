package dev.sketchtrace.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reaches the agent's bootstrap classes ({@code dev.sketchtrace.bootstrap.CustomSpan}, {@code
 * CurrentSpan}, ...) without linking against them: they exist only on the bootstrap class loader and
 * only when the agent is attached. They are looked up there by name once, as method handles; when
 * they are absent {@link #INSTANCE} is null and the API is a no-op.
 *
 * <p>Looking only at the bootstrap loader matters: an application that happens to have the bootstrap
 * jar on its class path (without the agent) must not produce events nobody drains.
 *
 * <p>Thread-safe: immutable after class initialization.
 */
final class AgentBridge {
  static final AgentBridge INSTANCE = create();

  private final MethodHandle newSpan; // (Object parent, String name, Object kind) -> Object
  private final MethodHandle current; // () -> Object
  private final MethodHandle attach; // (Object) -> Object
  private final MethodHandle restore; // (Object) -> void
  private final MethodHandle setAttribute; // (Object, String, String) -> void
  private final MethodHandle recordException; // (Object, Throwable) -> void
  private final MethodHandle setErrorType; // (Object, String) -> void
  private final MethodHandle end; // (Object) -> void
  private final MethodHandle traceIdHex; // (Object) -> String
  private final MethodHandle spanIdHex; // (Object) -> String
  private final Object[] kinds; // indexed by SpanKind.ordinal()

  private AgentBridge(MethodHandles.Lookup lookup) throws ReflectiveOperationException {
    Class<?> event = Class.forName("dev.sketchtrace.bootstrap.SpanEvent", false, null);
    Class<?> custom = Class.forName("dev.sketchtrace.bootstrap.CustomSpan", false, null);
    Class<?> kind = Class.forName("dev.sketchtrace.bootstrap.SpanKind", false, null);
    Class<?> currentSpan = Class.forName("dev.sketchtrace.bootstrap.CurrentSpan", false, null);
    Class<?> traceParent = Class.forName("dev.sketchtrace.bootstrap.TraceParent", false, null);
    MethodType objects3 = MethodType.methodType(Object.class, Object.class, String.class, Object.class);
    newSpan =
        lookup
            .findConstructor(custom, MethodType.methodType(void.class, event, String.class, kind))
            .asType(objects3);
    current =
        lookup.findStatic(currentSpan, "get", MethodType.methodType(event))
            .asType(MethodType.methodType(Object.class));
    attach =
        lookup.findStatic(currentSpan, "attach", MethodType.methodType(event, event))
            .asType(MethodType.methodType(Object.class, Object.class));
    restore =
        lookup.findStatic(currentSpan, "restore", MethodType.methodType(void.class, event))
            .asType(MethodType.methodType(void.class, Object.class));
    setAttribute =
        lookup.findVirtual(custom, "setAttribute",
                MethodType.methodType(void.class, String.class, String.class))
            .asType(MethodType.methodType(void.class, Object.class, String.class, String.class));
    recordException =
        lookup.findVirtual(event, "recordException", MethodType.methodType(void.class, Throwable.class))
            .asType(MethodType.methodType(void.class, Object.class, Throwable.class));
    setErrorType =
        lookup.findVirtual(event, "setErrorType", MethodType.methodType(void.class, String.class))
            .asType(MethodType.methodType(void.class, Object.class, String.class));
    end =
        lookup.findVirtual(event, "end", MethodType.methodType(void.class))
            .asType(MethodType.methodType(void.class, Object.class));
    MethodHandle traceHigh = lookup.findVirtual(event, "traceIdHigh", MethodType.methodType(long.class));
    MethodHandle traceLow = lookup.findVirtual(event, "traceIdLow", MethodType.methodType(long.class));
    MethodHandle traceHex =
        lookup.findStatic(traceParent, "traceIdHex",
            MethodType.methodType(String.class, long.class, long.class));
    // traceIdHex(traceIdHigh(e), traceIdLow(e)), as one handle of e.
    MethodHandle hexOfBoth =
        MethodHandles.filterArguments(traceHex, 0, traceHigh, traceLow); // (e, e) -> String
    traceIdHex =
        MethodHandles.permuteArguments(hexOfBoth, MethodType.methodType(String.class, event), 0, 0)
            .asType(MethodType.methodType(String.class, Object.class));
    spanIdHex =
        MethodHandles.filterArguments(
                lookup.findStatic(traceParent, "spanIdHex",
                    MethodType.methodType(String.class, long.class)),
                0,
                lookup.findVirtual(event, "spanId", MethodType.methodType(long.class)))
            .asType(MethodType.methodType(String.class, Object.class));
    Object[] constants = kind.getEnumConstants();
    kinds = new Object[SpanKind.values().length];
    for (SpanKind k : SpanKind.values()) {
      for (Object c : constants) {
        if (((Enum<?>) c).name().equals(k.name())) {
          kinds[k.ordinal()] = c;
        }
      }
    }
  }

  private static AgentBridge create() {
    try {
      return new AgentBridge(MethodHandles.publicLookup());
    } catch (Throwable t) {
      return null; // no agent: the API is a no-op
    }
  }

  Span start(String name, SpanKind kind) {
    try {
      Object parent = (Object) current.invokeExact();
      Object event =
          (Object) newSpan.invokeExact(parent, name, kinds[(kind == null ? SpanKind.INTERNAL : kind).ordinal()]);
      return new AgentSpan(this, event);
    } catch (Throwable t) {
      return NoopSpan.INSTANCE;
    }
  }

  void setAttribute(Object event, String key, String value) {
    try {
      setAttribute.invokeExact(event, key, value);
    } catch (Throwable t) {
      // The API never throws into the application.
    }
  }

  void recordException(Object event, Throwable exception) {
    try {
      recordException.invokeExact(event, exception);
    } catch (Throwable t) {
      // The API never throws into the application.
    }
  }

  void setError(Object event, String errorType) {
    try {
      setErrorType.invokeExact(event, errorType);
    } catch (Throwable t) {
      // The API never throws into the application.
    }
  }

  void end(Object event) {
    try {
      end.invokeExact(event);
    } catch (Throwable t) {
      // The API never throws into the application.
    }
  }

  Object attach(Object event) {
    try {
      return (Object) attach.invokeExact(event);
    } catch (Throwable t) {
      return null;
    }
  }

  void restore(Object previous) {
    try {
      restore.invokeExact(previous);
    } catch (Throwable t) {
      // The API never throws into the application.
    }
  }

  String traceId(Object event) {
    try {
      return (String) traceIdHex.invokeExact(event);
    } catch (Throwable t) {
      return NoopSpan.INSTANCE.traceId();
    }
  }

  String spanId(Object event) {
    try {
      return (String) spanIdHex.invokeExact(event);
    } catch (Throwable t) {
      return NoopSpan.INSTANCE.spanId();
    }
  }
}
