package dev.sketchtrace.agent.fold;

import dev.sketchtrace.bootstrap.SpanEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Decides which spans are exported, per local trace (all spans of one trace in this JVM), so a
 * trace is never half-exported.
 *
 * <p>Spans of a local trace are buffered until its local root ends; then the whole local trace is
 * kept when it was head-sampled, when any of its spans failed, or when the root was slower than its
 * series' p99 of the previous window — and otherwise dropped. The decision is remembered ({@link
 * DecisionMemory}: bounded, allocation-free) so children that end after their root follow it.
 *
 * <p>Memory is bounded: at most {@code maxBufferedSpans} spans wait, at most {@link
 * #MAX_SPANS_PER_TRACE} per trace, and traces whose root has not ended within {@link
 * #MAX_WINDOWS_OPEN} export windows are dropped; every span dropped this way is counted. Emptied
 * buffers are reused (at most {@link #MAX_SPARE_BUFFERS} kept), so steady traffic allocates nothing.
 *
 * <p>Not thread-safe: folder thread only.
 */
final class TraceKeeper {
  static final int MAX_SPANS_PER_TRACE = 512;
  static final int MAX_WINDOWS_OPEN = 6;
  static final int MAX_DECISIONS = 8192;

  private final int maxBufferedSpans;
  private final Consumer<SpanEvent> keep;
  /**
   * Open local traces by their root's span id (random, so unique in practice). Not by the root
   * event itself: its identity hash would be written into the header of an object whose request
   * thread is still writing it, and a boxed or identity-keyed map allocates per trace.
   */
  private final Long2ObjectHashMap<Buffer> open = new Long2ObjectHashMap<>();
  /** Buffers of ended traces, reused: in steady state the keeper allocates nothing per trace. */
  private final ArrayDeque<Buffer> spare = new ArrayDeque<>();
  private final DecisionMemory decisions = new DecisionMemory(MAX_DECISIONS);
  private int buffered;
  private long droppedSpans;
  private long window;

  /** Spare buffers kept for reuse, and the most spans a buffer may have held to be reused. */
  private static final int MAX_SPARE_BUFFERS = 256;
  private static final int MAX_REUSED_SPANS = 16;

  private static final class Buffer {
    final List<SpanEvent> spans = new ArrayList<>(4);
    long openedInWindow;
    boolean error;
  }

  TraceKeeper(int maxBufferedSpans, Consumer<SpanEvent> keep) {
    this.maxBufferedSpans = maxBufferedSpans;
    this.keep = keep;
  }

  /**
   * One ended span. {@code error}: the mapper saw it fail; {@code slow}: slower than its series' p99
   * of the previous window (only the local root's slowness decides).
   */
  void onSpan(SpanEvent span, boolean error, boolean slow) {
    SpanEvent root = span.localRoot();
    long rootId = root.spanId();
    if (span == root) {
      Buffer buffer = open.remove(rootId);
      boolean kept = root.isHeadSampled() || error || slow || (buffer != null && buffer.error);
      decisions.remember(rootId, kept);
      if (buffer != null) {
        buffered -= buffer.spans.size();
        if (kept) {
          for (SpanEvent child : buffer.spans) {
            keep.accept(child);
          }
        }
        recycle(buffer);
      }
      if (kept) {
        keep.accept(root);
      }
      return;
    }
    Boolean decided = decisions.decision(rootId);
    if (decided != null) {
      if (decided) {
        keep.accept(span);
      }
      return;
    }
    Buffer buffer = open.get(rootId);
    if (buffer == null) {
      if (buffered >= maxBufferedSpans) {
        droppedSpans++;
        return;
      }
      buffer = spare.isEmpty() ? new Buffer() : spare.pop();
      buffer.openedInWindow = window;
      open.put(rootId, buffer);
    }
    if (buffered >= maxBufferedSpans || buffer.spans.size() >= MAX_SPANS_PER_TRACE) {
      droppedSpans++;
      buffer.error |= error;
      return;
    }
    buffer.spans.add(span);
    buffer.error |= error;
    buffered++;
  }

  /** Ends an export window: drops traces whose root has stayed open too long. */
  void closeWindow() {
    window++;
    Iterator<Buffer> it = open.values().iterator();
    while (it.hasNext()) {
      Buffer b = it.next();
      if (window - b.openedInWindow >= MAX_WINDOWS_OPEN) {
        droppedSpans += b.spans.size();
        buffered -= b.spans.size();
        it.remove();
        recycle(b);
      }
    }
  }

  /** Empties an ended trace's buffer and keeps it for the next trace, unless it grew large. */
  private void recycle(Buffer buffer) {
    boolean small = buffer.spans.size() <= MAX_REUSED_SPANS;
    buffer.spans.clear(); // the spans must not stay reachable from a spare buffer
    buffer.error = false;
    if (small && spare.size() < MAX_SPARE_BUFFERS) {
      spare.push(buffer);
    }
  }

  int bufferedSpans() {
    return buffered;
  }

  /** Spans dropped for lack of room or because their root never ended, since start. */
  long droppedSpans() {
    return droppedSpans;
  }
}
