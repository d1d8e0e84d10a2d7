package dev.sketchtrace.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One measured operation (a request served, a query run, a call made), created on the app thread
 * and handed, once ended, to the folder thread through {@link EventQueue}.
 *
 * <p>Ownership: until {@link #end()} the event belongs to the thread that runs the operation, which
 * alone writes its mutable fields (status, error, and the subclasses' own fields). {@code end()}
 * publishes it through the queue (the queue's offer/poll pair gives the happens-before edge); after
 * that only the folder reads it and nobody writes it. The single exception is {@code end()} itself,
 * which may race between threads for async work (a timeout and a completion): a CAS lets exactly one
 * of them win.
 *
 * <p>Identity follows W3C Trace Context: a 128-bit trace id, a 64-bit span id, the parent span id (0
 * for a root) and whether that parent came from another process. Every event also knows the
 * <em>local root</em> — the first span of this trace in this JVM — so the folder can keep or drop a
 * whole local trace at once.
 */
public abstract class SpanEvent {

  private static final VarHandle END_NANO_TIME;

  static {
    try {
      END_NANO_TIME =
          MethodHandles.lookup().findVarHandle(SpanEvent.class, "endNanoTime", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final boolean parentRemote;
  private final byte traceFlags;
  /** The remote caller's {@code tracestate}, carried unchanged; null when there was none. */
  private final String traceState;
  private final SpanEvent localRoot;
  private final long startNanoTime;

  @SuppressWarnings("unused") // written through END_NANO_TIME
  private volatile long endNanoTime;

  private Throwable exception;
  private String errorType;

  /** Starts a span now, whose parent is {@code parent} in this JVM, or a new trace when it is null. */
  protected SpanEvent(SpanEvent parent) {
    this(parent, System.nanoTime());
  }

  /**
   * A span that started at {@code startNanoTime} ({@link System#nanoTime()}), for an operation
   * known to deserve a span only once it is over (a statement the database refused to prepare):
   * the advice reads the clock on enter and creates the span, with its ids and sampling decision,
   * only when needed.
   */
  protected SpanEvent(SpanEvent parent, long startNanoTime) {
    this.startNanoTime = startNanoTime;
    this.spanId = Ids.newSpanId();
    this.parentRemote = false;
    if (parent == null) {
      this.traceIdHigh = Ids.newTraceIdHigh();
      this.traceIdLow = Ids.newSpanId();
      this.parentSpanId = 0;
      this.traceFlags =
          HeadSampler.sampleNewTrace(traceIdLow, startNanoTime) ? TraceFlags.SAMPLED : 0;
      this.traceState = null;
      this.localRoot = this;
    } else {
      this.traceIdHigh = parent.traceIdHigh;
      this.traceIdLow = parent.traceIdLow;
      this.parentSpanId = parent.spanId;
      this.traceFlags = parent.traceFlags;
      this.traceState = parent.traceState;
      this.localRoot = parent.localRoot;
    }
  }

  /**
   * Starts the local root of a trace continued from another process, as described by a W3C
   * {@code traceparent} header. An absent or invalid header starts a new trace instead: a bad
   * header is the caller's problem, never an error of ours.
   */
  protected SpanEvent(String traceparent, String tracestate) {
    this.startNanoTime = System.nanoTime();
    this.spanId = Ids.newSpanId();
    this.localRoot = this;
    if (TraceParent.isValid(traceparent)) {
      this.traceIdHigh = TraceParent.traceIdHigh(traceparent);
      this.traceIdLow = TraceParent.traceIdLow(traceparent);
      this.parentSpanId = TraceParent.parentSpanId(traceparent);
      this.parentRemote = true;
      byte remoteFlags = TraceParent.traceFlags(traceparent);
      this.traceFlags =
          HeadSampler.sampleRemoteChild(
              traceIdLow, (remoteFlags & TraceFlags.SAMPLED) != 0, startNanoTime)
              ? TraceFlags.SAMPLED
              : 0;
      this.traceState = TraceParent.boundedTraceState(tracestate);
    } else {
      this.traceIdHigh = Ids.newTraceIdHigh();
      this.traceIdLow = Ids.newSpanId();
      this.parentSpanId = 0;
      this.parentRemote = false;
      this.traceFlags =
          HeadSampler.sampleNewTrace(traceIdLow, startNanoTime) ? TraceFlags.SAMPLED : 0;
      this.traceState = null;
    }
  }

  public abstract SpanKind kind();

  /**
   * Ends the span now and hands it to the folder. Only the first call counts, so racing completion
   * paths of async work are harmless. Never blocks; when the queue is full the event is dropped and
   * counted.
   */
  public final void end() {
    if (END_NANO_TIME.compareAndSet(this, 0L, System.nanoTime())) {
      EventQueue.offer(this);
    }
  }

  public final boolean isEnded() {
    return endNanoTime != 0L;
  }

  /** Records a failure thrown by the operation; the folder derives {@code error.type} from it. */
  public final void recordException(Throwable t) {
    if (t != null && exception == null) {
      exception = t;
    }
  }

  /** Marks the operation failed without an exception (an HTTP 5xx, say), with its error type. */
  public final void setErrorType(String errorType) {
    this.errorType = errorType;
  }

  public final long traceIdHigh() {
    return traceIdHigh;
  }

  public final long traceIdLow() {
    return traceIdLow;
  }

  public final long spanId() {
    return spanId;
  }

  /** The parent's span id, or 0 for a root span. */
  public final long parentSpanId() {
    return parentSpanId;
  }

  public final boolean isParentRemote() {
    return parentRemote;
  }

  public final byte traceFlags() {
    return traceFlags;
  }

  /** Whether the head sampler chose this trace; the folder may still keep an unsampled trace. */
  public final boolean isHeadSampled() {
    return (traceFlags & TraceFlags.SAMPLED) != 0;
  }

  public final String traceState() {
    return traceState;
  }

  /** The first span of this trace in this JVM; {@code this} for a local root. */
  public final SpanEvent localRoot() {
    return localRoot;
  }

  public final boolean isLocalRoot() {
    return localRoot == this;
  }

  /** {@link System#nanoTime()} at start; the folder turns it into epoch time. */
  public final long startNanoTime() {
    return startNanoTime;
  }

  /** {@link System#nanoTime()} at end, or 0 while the span is open. */
  public final long endNanoTime() {
    return endNanoTime;
  }

  public final long durationNanos() {
    return endNanoTime - startNanoTime;
  }

  public final Throwable exception() {
    return exception;
  }

  public final String errorType() {
    return errorType;
  }
}
