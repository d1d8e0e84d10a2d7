package dev.sketchtrace.collector.alerts;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the rules, keeps their states with hysteresis, notifies on transitions (and reminders),
 * applies silences, and persists all of it.
 *
 * <p>Thread-safety: thread-safe. {@link #evaluate()} runs on one thread at a time (the scheduler's);
 * queries run outside the lock, the state update under {@code lock}. API threads read snapshots and
 * change rules and silences concurrently. Time comes only from the injected {@link Clock}.
 */
public final class AlertEngine implements AutoCloseable {
  private static final Logger LOG = System.getLogger("dev.sketchtrace.collector.alerts");
  static final int HISTORY_LIMIT = 500;

  private final Clock clock;
  private final MetricQuery query;
  private final Notifier notifier;
  private final AlertStateFile stateFile; // null: nothing persisted (tests that do not care)
  private final Object evaluating = new Object();
  private final Object lock = new Object();
  private volatile RuleSet rules = RuleSet.empty();

  // @GuardedBy("lock")
  private final Map<String, RuleState> states = new LinkedHashMap<>();
  // @GuardedBy("lock")
  private final ArrayDeque<AlertEvent> history = new ArrayDeque<>();
  // @GuardedBy("lock")
  private final List<Silence> silences = new ArrayList<>();

  private ScheduledExecutorService scheduler;

  /**
   * @param stateFile where state survives restarts; null to keep it in memory only
   * @throws IOException when a saved state exists but cannot be read (the caller decides whether to
   *     start fresh; silently discarding alert state would hide a firing alert)
   */
  public AlertEngine(Clock clock, MetricQuery query, Notifier notifier, AlertStateFile stateFile) throws IOException {
    this.clock = clock;
    this.query = query;
    this.notifier = notifier;
    this.stateFile = stateFile;
    if (stateFile != null) {
      AlertStateFile.Snapshot s = stateFile.read();
      if (s != null) {
        for (RuleState.View v : s.states()) states.put(v.rule(), RuleState.from(v));
        history.addAll(s.history());
        silences.addAll(s.silences());
      }
    }
  }

  public RuleSet rules() {
    return rules;
  }

  /** Replaces the rules; states of rules that keep their name carry over, others are dropped. */
  public void setRules(RuleSet next) {
    synchronized (lock) {
      rules = next;
      Map<String, RuleState> kept = new LinkedHashMap<>();
      for (AlertRule r : next.rules()) {
        RuleState s = states.get(r.name());
        kept.put(r.name(), s != null ? s : fresh());
      }
      states.clear();
      states.putAll(kept);
      persist();
    }
  }

  private RuleState fresh() {
    RuleState s = new RuleState();
    s.sinceMillis = clock.millis();
    return s;
  }

  /** Runs {@link #evaluate()} every {@code intervalMillis} on a daemon thread. */
  public synchronized void start(long intervalMillis) {
    if (scheduler != null) return;
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sketchtrace-alert-eval");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            evaluate();
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "alert evaluation failed", e);
          }
        },
        intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (scheduler == null) return;
    scheduler.shutdownNow();
    try {
      // an evaluation in progress reads the store: let it finish before the caller closes that
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler = null;
  }

  /** One evaluation of every rule at the clock's current instant. */
  public void evaluate() {
    synchronized (evaluating) {
      Instant now = clock.instant();
      RuleSet set = rules;
      Map<String, Measurement> measured = new HashMap<>();
      for (AlertRule r : set.rules()) measured.put(r.name(), measure(r, now));
      List<AlertEvent> toSend = new ArrayList<>();
      synchronized (lock) {
        if (set != rules) return; // rules replaced meanwhile: the next round measures the new ones
        long nowMs = now.toEpochMilli();
        for (AlertRule r : set.rules()) {
          Measurement m = measured.get(r.name());
          RuleState s = states.computeIfAbsent(r.name(), k -> fresh());
          if (m.failed) {
            s.lastDetail = m.detail;
            continue; // a failed query is neither data nor absence of data: change nothing
          }
          s.lastValue = m.value;
          s.lastDetail = m.detail;
          s.lastEvaluatedMillis = nowMs;
          AlertState next = s.observe(m.target, r);
          if (next != null) {
            AlertEvent e = event(r, AlertEvent.TRANSITION, s.state, next, m, nowMs);
            s.state = next;
            s.sinceMillis = nowMs;
            s.lastNotifiedMillis = nowMs;
            record(e);
            if (!e.silenced()) toSend.add(e);
          } else if (s.state.firing()
              && !r.reminder().isZero()
              && nowMs - s.lastNotifiedMillis >= r.reminder().toMillis()) {
            AlertEvent e = event(r, AlertEvent.REMINDER, s.state, s.state, m, nowMs);
            if (!e.silenced()) {
              s.lastNotifiedMillis = nowMs;
              toSend.add(e);
            }
          }
        }
        silences.removeIf(x -> x.endsAtMillis() < nowMs - 86_400_000L); // keep a day of expired ones to show
        persist();
      }
      for (AlertEvent e : toSend) {
        try {
          notifier.send(e);
        } catch (RuntimeException ex) {
          LOG.log(Level.WARNING, "alert notifier failed", ex);
        }
      }
    }
  }

  private AlertEvent event(AlertRule r, String kind, AlertState from, AlertState to, Measurement m, long nowMs) {
    Map<String, String> labels = labels(r, to);
    return new AlertEvent(r.name(), kind, from, to, m.value, m.detail, nowMs, silenced(labels, nowMs), labels);
  }

  static Map<String, String> labels(AlertRule r, AlertState to) {
    Map<String, String> l = new LinkedHashMap<>(r.labels());
    l.put("alertname", r.name());
    l.put("service", r.service());
    if (r.route() != null) l.put("route", r.route());
    l.put("signal", r.signal().toString());
    l.put("severity", to.name().toLowerCase(Locale.ROOT));
    return l;
  }

  // @GuardedBy("lock")
  private boolean silenced(Map<String, String> labels, long nowMs) {
    for (Silence s : silences) {
      if (s.activeAt(nowMs) && s.matches(labels)) return true;
    }
    return false;
  }

  // @GuardedBy("lock")
  private void record(AlertEvent e) {
    history.addLast(e);
    while (history.size() > HISTORY_LIMIT) history.removeFirst();
  }

  private static final class Measurement {
    final AlertState target;
    final double value;
    final String detail;
    final boolean failed;

    Measurement(AlertState target, double value, String detail, boolean failed) {
      this.target = target;
      this.value = value;
      this.detail = detail;
      this.failed = failed;
    }
  }

  private Measurement measure(AlertRule r, Instant now) {
    OptionalDouble v;
    try {
      v = query.value(r.signal(), r.service(), r.route(), now.minus(r.window()), now);
    } catch (RuntimeException e) {
      return new Measurement(AlertState.OK, Double.NaN, "query failed: " + e, true);
    }
    String what = r.signal() + " over " + Durations.format(r.window());
    if (v.isEmpty()) return new Measurement(AlertState.NO_DATA, Double.NaN, "no data for " + what, false);
    double value = v.getAsDouble();
    switch (r.type()) {
      case ABSENCE:
        return new Measurement(AlertState.OK, value, what + " = " + fmt(value), false);
      case THRESHOLD:
        String cmp = r.direction() == AlertRule.Direction.BELOW ? "<" : ">";
        return new Measurement(
            r.levelOf(value), value,
            what + " = " + fmt(value) + " (warning " + cmp + " " + fmt(r.warning()) + ", critical " + cmp + " "
                + fmt(r.critical()) + ")",
            false);
      case ANOMALY:
        AnomalyBaseline b;
        try {
          b = AnomalyBaseline.of(query, r, now);
        } catch (RuntimeException e) {
          return new Measurement(AlertState.OK, value, "baseline query failed: " + e, true);
        }
        if (!b.usable()) {
          return new Measurement(
              AlertState.OK, value,
              what + " = " + fmt(value) + "; no baseline yet (" + b.samples() + " earlier windows with data)", false);
        }
        double z = b.deviations(value);
        return new Measurement(
            r.levelOf(z), value,
            what + " = " + fmt(value) + ", baseline " + fmt(b.mean()) + " ± " + fmt(b.stddev()) + " (" + b.source()
                + ", " + b.samples() + " windows): " + String.format(Locale.ROOT, "%+.1f", z) + " σ",
            false);
      default:
        throw new AssertionError(r.type());
    }
  }

  private static String fmt(double d) {
    if (Double.isNaN(d)) return "-";
    return String.format(Locale.ROOT, "%.4g", d);
  }

  // ---- silences

  /** Adds a silence and returns it with its id. */
  public Silence addSilence(List<Silence.Matcher> matchers, long startsAtMillis, long endsAtMillis, String comment) {
    Silence s = new Silence(UUID.randomUUID().toString(), matchers, startsAtMillis, endsAtMillis, comment);
    synchronized (lock) {
      silences.add(s);
      persist();
    }
    return s;
  }

  /** Ends a silence now; false when there is no silence with that id. */
  public boolean expireSilence(String id) {
    synchronized (lock) {
      long now = clock.millis();
      for (int i = 0; i < silences.size(); i++) {
        Silence s = silences.get(i);
        if (s.id().equals(id)) {
          if (s.endsAtMillis() > now) {
            silences.set(i, new Silence(s.id(), s.matchers(), Math.min(s.startsAtMillis(), now - 1), now, s.comment()));
          }
          persist();
          return true;
        }
      }
      return false;
    }
  }

  public List<Silence> silences() {
    synchronized (lock) {
      return List.copyOf(silences);
    }
  }

  // ---- read side

  /** Immutable: a rule with its current state. */
  public record Status(AlertRule rule, AlertState state, long sinceMillis, double lastValue, String detail,
      long lastEvaluatedMillis, int pendingStreak, AlertState pendingTarget) {}

  public List<Status> statuses() {
    synchronized (lock) {
      List<Status> out = new ArrayList<>();
      for (AlertRule r : rules.rules()) {
        RuleState s = states.get(r.name());
        if (s == null) s = fresh();
        out.add(new Status(r, s.state, s.sinceMillis, s.lastValue, s.lastDetail, s.lastEvaluatedMillis, s.streak,
            s.streak > 0 ? s.streakBound : null));
      }
      return out;
    }
  }

  /** Newest first. */
  public List<AlertEvent> history() {
    synchronized (lock) {
      List<AlertEvent> out = new ArrayList<>(history);
      java.util.Collections.reverse(out);
      return out;
    }
  }

  public long nowMillis() {
    return clock.millis();
  }

  // @GuardedBy("lock")
  private void persist() {
    if (stateFile == null) return;
    List<RuleState.View> views = new ArrayList<>();
    states.forEach((name, s) -> views.add(s.view(name)));
    try {
      stateFile.write(new AlertStateFile.Snapshot(1, views, new ArrayList<>(history), new ArrayList<>(silences)));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not save alert state to " + stateFile.path(), e);
    }
  }
}
