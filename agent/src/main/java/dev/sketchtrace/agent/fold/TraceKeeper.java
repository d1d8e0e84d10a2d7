package dev.sketchtrace.agent.fold;

import dev.sketchtrace.bootstrap.SpanEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * #MAX_WINDOWS_OPEN} export windows are dropped; every span dropped this way is counted.
 *
 * <p>Not thread-safe: folder thread only.
 */
final class TraceKeeper {
  static final int MAX_SPANS_PER_TRACE = 512;
  static final int MAX_WINDOWS_OPEN = 6;
  static final int MAX_DECISIONS = 8192;

  private final int maxBufferedSpans;
  private final Consumer<SpanEvent> keep;
  /** Open local traces by their root event (identity: SpanEvent keeps Object's equals). */
  private final Map<SpanEvent, Buffer> open = new HashMap<>();
  private final DecisionMemory decisions = new DecisionMemory(MAX_DECISIONS);
  private int buffered;
  private long droppedSpans;
  private long window;

  private static final class Buffer {
    final List<SpanEvent> spans = new ArrayList<>(4);
    final long openedInWindow;
    boolean error;

    Buffer(long window) {
      this.openedInWindow = window;
    }
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
    if (span == root) {
      Buffer buffer = open.remove(root);
      boolean kept = root.isHeadSampled() || error || slow || (buffer != null && buffer.error);
      if (buffer != null) {
        buffered -= buffer.spans.size();
      }
      decisions.remember(root.spanId(), kept);
      if (kept) {
        if (buffer != null) {
          for (SpanEvent child : buffer.spans) {
            keep.accept(child);
          }
        }
        keep.accept(root);
      }
      return;
    }
    Boolean decided = decisions.decision(root.spanId());
    if (decided != null) {
      if (decided) {
        keep.accept(span);
      }
      return;
    }
    Buffer buffer = open.get(root);
    if (buffer == null) {
      if (buffered >= maxBufferedSpans) {
        droppedSpans++;
        return;
      }
      buffer = new Buffer(window);
      open.put(root, buffer);
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
      }
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
