package dev.sketchtrace.collector.alerts;

/**
 * The live state of one rule and its hysteresis streak. Not thread-safe: owned by {@link AlertEngine},
 * used only under its lock.
 *
 * <p>The streak counts consecutive evaluations whose target lies on the same side of the current
 * state: all worse (higher rank) or all better. It keeps the mildest of the targets seen, so after
 * {@code for} worse evaluations the rule moves to the least severe state every one of them reached; a
 * single evaluation on the other side (or at the current state) resets it. Values that wobble around a
 * threshold therefore never complete a streak and never flap the alert.
 */
final class RuleState {
  AlertState state = AlertState.OK;
  long sinceMillis;
  int streak;
  /** +1 while the streak points worse, -1 while it points better, 0 with no streak. */
  int streakSide;
  /** For a worse streak the mildest target seen; for a better one the most severe. */
  AlertState streakBound = AlertState.OK;
  long lastNotifiedMillis;
  double lastValue = Double.NaN;
  String lastDetail = "";
  long lastEvaluatedMillis;

  /**
   * Records one evaluation's target and returns the state to move to, or null to stay.
   */
  AlertState observe(AlertState target, AlertRule rule) {
    int side = Integer.compare(target.rank(), state.rank());
    if (side == 0) {
      resetStreak();
      return null;
    }
    if (side != streakSide) {
      streakSide = side;
      streak = 0;
      streakBound = target;
    }
    streak++;
    if (side > 0 ? target.rank() < streakBound.rank() : target.rank() > streakBound.rank()) {
      streakBound = target;
    }
    int needed = side > 0 ? rule.forCount() : rule.recoverFor();
    if (streak < needed) return null;
    AlertState next = streakBound;
    resetStreak();
    return next;
  }

  private void resetStreak() {
    streak = 0;
    streakSide = 0;
    streakBound = state;
  }

  /** Immutable copy for the API and persistence. */
  record View(
      String rule,
      AlertState state,
      long sinceMillis,
      int streak,
      int streakSide,
      AlertState streakBound,
      long lastNotifiedMillis,
      double lastValue,
      String lastDetail,
      long lastEvaluatedMillis) {}

  View view(String rule) {
    return new View(rule, state, sinceMillis, streak, streakSide, streakBound, lastNotifiedMillis, lastValue, lastDetail, lastEvaluatedMillis);
  }

  static RuleState from(View v) {
    RuleState s = new RuleState();
    s.state = v.state();
    s.sinceMillis = v.sinceMillis();
    s.streak = v.streak();
    s.streakSide = v.streakSide();
    s.streakBound = v.streakBound() == null ? v.state() : v.streakBound();
    s.lastNotifiedMillis = v.lastNotifiedMillis();
    s.lastValue = v.lastValue();
    s.lastDetail = v.lastDetail() == null ? "" : v.lastDetail();
    s.lastEvaluatedMillis = v.lastEvaluatedMillis();
    return s;
  }
}
