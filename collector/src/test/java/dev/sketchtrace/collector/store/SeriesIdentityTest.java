package dev.sketchtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A series is its attribute set, whatever order the sender listed the attributes in. */
class SeriesIdentityTest {
  private static SeriesIdentity id(Map<String, String> attributes) {
    return new SeriesIdentity("svc", "m", Kind.SUM, attributes, null);
  }

  @Test
  void equalAttributeSetsAreOneSeriesAndDifferentOnesAreNot() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertThat(id(ab)).isEqualTo(id(ba)).hasSameHashCodeAs(id(ba));
    assertThat(SeriesIdentity.adopting("svc", "m", Kind.SUM, new TreeMap<>(ba), null)).isEqualTo(id(ab));

    assertThat(id(ab)).isNotEqualTo(id(Map.of("a", "1", "b", "3")));
    assertThat(id(ab)).isNotEqualTo(id(Map.of("a", "1")));
    // Keys and values are not interchangeable: {a=b} is not {b=a}.
    assertThat(id(Map.of("a", "b"))).isNotEqualTo(id(Map.of("b", "a")));
    assertThat(id(ab)).isNotEqualTo(new SeriesIdentity("svc", "m", Kind.GAUGE, ab, null));
    assertThat(SeriesRegistry.decode(SeriesRegistry.encode(id(ab)))).isEqualTo(id(ab));
  }
}
