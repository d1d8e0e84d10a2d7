package dev.sketchtrace.agent.fold;

/**
 * Remembers recent keep/drop decisions of local traces by root span id, so children that end after
 * their root follow the root's decision. Direct-mapped and allocation-free: each root id has one
 * slot ({@code capacity} slots, a power of two); a newer decision whose id maps to the same slot
 * replaces the older one. A forgotten decision only matters for a child ending after its root, which
 * is then treated as the start of an unknown trace (buffered, and dropped when its root never comes).
 *
 * <p>Not thread-safe: folder thread only.
 */
final class DecisionMemory {
  private static final byte UNKNOWN = 0;
  private static final byte KEEP = 1;
  private static final byte DROP = 2;

  private final long[] ids;
  private final byte[] decisions;
  private final int mask;

  DecisionMemory(int capacity) {
    int size = Integer.highestOneBit(Math.max(capacity, 2) - 1) << 1;
    ids = new long[size];
    decisions = new byte[size];
    mask = size - 1;
  }

  void remember(long rootSpanId, boolean keep) {
    int slot = slot(rootSpanId);
    ids[slot] = rootSpanId;
    decisions[slot] = keep ? KEEP : DROP;
  }

  /** The decision for the root, or null when unknown (never decided, or forgotten). */
  Boolean decision(long rootSpanId) {
    int slot = slot(rootSpanId);
    if (decisions[slot] == UNKNOWN || ids[slot] != rootSpanId) {
      return null;
    }
    return decisions[slot] == KEEP ? Boolean.TRUE : Boolean.FALSE;
  }

  private int slot(long id) {
    long h = id * 0x9E3779B97F4A7C15L; // span ids are random; the multiply just spreads them
    return (int) (h >>> 32) & mask;
  }
}
