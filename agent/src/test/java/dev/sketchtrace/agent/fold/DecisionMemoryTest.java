package dev.sketchtrace.agent.fold;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionMemoryTest {
  @Test
  void remembersDecisionsAndForgetsOnlyByReplacement() {
    DecisionMemory memory = new DecisionMemory(8);
    assertThat(memory.decision(42L)).isNull();
    memory.remember(42L, true);
    memory.remember(7L, false);
    assertThat(memory.decision(42L)).isTrue();
    assertThat(memory.decision(7L)).isFalse();
    // Far more roots than slots: every lookup is either right or unknown, never wrong.
    for (long id = 1000; id < 2000; id++) {
      memory.remember(id, id % 2 == 0);
    }
    int known = 0;
    for (long id = 1000; id < 2000; id++) {
      Boolean d = memory.decision(id);
      if (d != null) {
        known++;
        assertThat(d).isEqualTo(id % 2 == 0);
      }
    }
    assertThat(known).isBetween(1, 8);
  }
}
