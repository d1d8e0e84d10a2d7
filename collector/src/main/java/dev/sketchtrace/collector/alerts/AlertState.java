package dev.sketchtrace.collector.alerts;

/**
 * The state of one rule. The rank orders states for hysteresis: moving to a higher rank needs the
 * rule's {@code for} count, moving to a lower one its {@code recoverFor} count. {@link #NO_DATA} ranks
 * highest because a series that stopped reporting is the one thing the other states cannot see.
 */
public enum AlertState {
  OK(0),
  WARNING(1),
  CRITICAL(2),
  NO_DATA(3);

  private final int rank;

  AlertState(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  /** True for every state someone should be told about while it lasts. */
  public boolean firing() {
    return this != OK;
  }
}
