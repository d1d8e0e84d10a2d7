package dev.sketchtrace.collector.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Thread-safe: assigns ids to series identities, caps the number of series per (service, metric)
 * and keeps every identity in memory for the query layer. Lookups are lock-free; a new series is
 * created under {@link #lock} so that the cap is exact. The caller persists new series (via the
 * {@code persist} callback, into the same write batch as their first points) and calls
 * {@link #forget} if that write fails, so the registry never names a series the disk does not have.
 */
public final class SeriesRegistry {
  private final int maxSeriesPerMetric;
  private final Map<SeriesIdentity, Series> byIdentity = new ConcurrentHashMap<>();
  private final Map<Long, Series> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> perMetric = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> overflowPoints = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private long nextId = 1; // guarded by lock

  public SeriesRegistry(int maxSeriesPerMetric) {
    this.maxSeriesPerMetric = maxSeriesPerMetric;
  }

  /** Restores a series read from disk at startup. */
  void restore(Series s) {
    synchronized (lock) {
      byIdentity.put(s.identity(), s);
      byId.put(s.id(), s);
      if (!s.identity().isOverflow()) perMetric.merge(metricKey(s.identity()), 1, Integer::sum);
      nextId = Math.max(nextId, s.id() + 1);
    }
  }

  /**
   * The series for {@code identity}, or the metric's overflow series once the cap is reached. A
   * series created here is handed to {@code persist} (with its serialized identity) before it is
   * returned.
   */
  public Series resolve(SeriesIdentity identity, BiConsumer<Series, byte[]> persist, List<Series> created) {
    Series s = byIdentity.get(identity);
    if (s != null) return s;
    synchronized (lock) {
      s = byIdentity.get(identity);
      if (s != null) return s;
      SeriesIdentity target = identity;
      String mk = metricKey(identity);
      if (perMetric.getOrDefault(mk, 0) >= maxSeriesPerMetric) {
        overflowPoints.computeIfAbsent(mk, k -> new AtomicLong()).incrementAndGet();
        target = SeriesIdentity.overflowOf(identity.service(), identity.metric(), identity.kind());
        s = byIdentity.get(target);
        if (s != null) return s;
      } else {
        perMetric.merge(mk, 1, Integer::sum);
      }
      s = new Series(nextId++, target);
      byIdentity.put(target, s);
      byId.put(s.id(), s);
      created.add(s);
      persist.accept(s, encode(target));
      return s;
    }
  }

  /** Undoes {@link #resolve} for series whose write failed. */
  public void forget(Collection<Series> created) {
    synchronized (lock) {
      for (Series s : created) {
        byIdentity.remove(s.identity());
        byId.remove(s.id());
        if (!s.identity().isOverflow()) perMetric.merge(metricKey(s.identity()), -1, Integer::sum);
      }
    }
  }

  public Series byId(long id) {
    return byId.get(id);
  }

  public List<Series> all() {
    return new ArrayList<>(byId.values());
  }

  public int size() {
    return byId.size();
  }

  /** Points that went to an overflow series, per "service/metric", since start. */
  public Map<String, Long> overflowPoints() {
    Map<String, Long> m = new java.util.TreeMap<>();
    overflowPoints.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Counts a point that landed in an already existing overflow series. */
  public void countOverflow(SeriesIdentity overflowIdentity) {
    overflowPoints.computeIfAbsent(metricKey(overflowIdentity), k -> new AtomicLong()).incrementAndGet();
  }

  private static String metricKey(SeriesIdentity id) {
    return id.service() + "/" + id.metric();
  }

  static byte[] encode(SeriesIdentity id) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(1); // format version
      out.writeByte(id.kind().code);
      out.writeUTF(id.service());
      out.writeUTF(id.metric());
      out.writeInt(id.attributes().size());
      for (Map.Entry<String, String> e : id.attributes().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      double[] bounds = id.bounds();
      out.writeInt(bounds.length);
      for (double b : bounds) out.writeDouble(b);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SeriesIdentity decode(byte[] v) {
    try {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(v));
      int version = in.readByte();
      if (version != 1) throw new IOException("unknown series format " + version);
      Kind kind = Kind.ofCode(in.readByte());
      String service = in.readUTF();
      String metric = in.readUTF();
      int n = in.readInt();
      Map<String, String> attrs = new java.util.TreeMap<>();
      for (int i = 0; i < n; i++) attrs.put(in.readUTF(), in.readUTF());
      double[] bounds = new double[in.readInt()];
      for (int i = 0; i < bounds.length; i++) bounds[i] = in.readDouble();
      return new SeriesIdentity(service, metric, kind, attrs, bounds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
