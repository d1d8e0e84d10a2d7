package dev.sketchtrace.bootstrap;

import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The bounded hand-off from app threads to the folder thread.
 *
 * <p>Any thread may call {@link #offer}; only the folder thread may call {@link #drain}. An event
 * offered happens-before the folder sees it (JCTools' ordered store / load). {@link #depth} is
 * best-effort. {@code offer} never blocks and never allocates: when the queue is full, or before the
 * agent has installed it, the event is dropped and counted.
 */
public final class EventQueue {
  // The atomic (field-updater) variant, not MpscArrayQueue: on JDK 24+ the sun.misc.Unsafe one
  // makes the JVM print deprecation warnings into the application's stderr.
  private static volatile MpscAtomicArrayQueue<SpanEvent> queue;
  private static final LongAdder DROPPED = new LongAdder();
  /**
   * Events accepted by queues that {@link #install} replaced. The current queue's own count is its
   * producer index, which the offer advances anyway: no counter to bump on the app thread.
   */
  private static volatile long offeredToReplacedQueues;

  private EventQueue() {}

  /**
   * Creates the queue; called by the agent before it installs any instrumentation. A second call
   * replaces the queue (tests do this); events still in the old one are lost and not counted.
   */
  public static synchronized void install(int capacity) {
    MpscAtomicArrayQueue<SpanEvent> replaced = queue;
    if (replaced != null) {
      offeredToReplacedQueues += replaced.currentProducerIndex();
    }
    queue = new MpscAtomicArrayQueue<>(Math.max(capacity, 16));
  }

  static void offer(SpanEvent event) {
    MpscAtomicArrayQueue<SpanEvent> q = queue;
    if (q == null || !q.relaxedOffer(event)) {
      DROPPED.increment();
    }
  }

  /** Single consumer only: hands up to {@code limit} events to {@code consumer}; returns how many. */
  public static int drain(MessagePassingQueue.Consumer<SpanEvent> consumer, int limit) {
    MpscAtomicArrayQueue<SpanEvent> q = queue;
    return q == null ? 0 : q.drain(consumer, limit);
  }

  /** Events waiting for the folder (best-effort). */
  public static int depth() {
    MpscAtomicArrayQueue<SpanEvent> q = queue;
    return q == null ? 0 : q.size();
  }

  public static int capacity() {
    MpscAtomicArrayQueue<SpanEvent> q = queue;
    return q == null ? 0 : q.capacity();
  }

  /** Events dropped because the queue was full or not yet installed, since start. */
  public static long droppedCount() {
    return DROPPED.sum();
  }

  /** Events accepted by the queue since start. */
  public static long offeredCount() {
    MpscAtomicArrayQueue<SpanEvent> q = queue;
    return offeredToReplacedQueues + (q == null ? 0 : q.currentProducerIndex());
  }
}
