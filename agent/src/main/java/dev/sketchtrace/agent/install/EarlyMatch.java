package dev.sketchtrace.agent.install;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Whether a class being loaded <em>might</em> be transformed by one module, decided before Byte
 * Buddy is installed and without parsing the class, after the module's {@link LibraryGate} for the
 * class loader:
 * <ul>
 *   <li>a class of the bootstrap or platform loader: its name against the module's JDK-targeting
 *       type matchers (those declaring {@code transformsLoadedClasses}, name-based by convention),
 *       given a description that carries only the name;
 *   <li>any other class: whether its class file mentions the package of one of the module's
 *       library marker classes (an implementation of {@code java.sql.Statement} names {@code
 *       java/sql/...} in its constant pool, a servlet names {@code jakarta/servlet/...}).
 * </ul>
 * Hierarchy matchers are never run here: they would make this thread wait for Byte Buddy's own
 * class initialization, which is what the background installation keeps off the startup path.
 *
 * <p>"Might" errs towards yes (the class then waits for the real matchers); a class it wrongly
 * answers no for is still transformed later, by retransformation, once Byte Buddy is installed.
 *
 * <p>Thread-safe: immutable apart from the gate's own thread-safe cache.
 */
final class EarlyMatch {
  /** Package segments of a marker class kept as the prefix: {@code org/apache/http/} of Apache's. */
  private static final int PREFIX_SEGMENTS = 3;

  private final LibraryGate gate;
  private final List<ElementMatcher<TypeDescription>> jdkTypeMatchers;
  private final byte[][] packagePrefixes;

  EarlyMatch(
      LibraryGate gate, List<ElementMatcher<TypeDescription>> jdkTypeMatchers, List<String> markers) {
    this.gate = gate;
    this.jdkTypeMatchers = Collections.unmodifiableList(new ArrayList<>(jdkTypeMatchers));
    Set<String> prefixes = new LinkedHashSet<>();
    for (String marker : markers) {
      String[] parts = marker.split("\\.");
      int segments = Math.min(PREFIX_SEGMENTS, parts.length - 1);
      if (segments > 0) {
        prefixes.add(String.join("/", Arrays.asList(parts).subList(0, segments)) + "/");
      }
    }
    this.packagePrefixes = new byte[prefixes.size()][];
    int i = 0;
    for (String prefix : prefixes) {
      packagePrefixes[i++] = prefix.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /**
   * @param jdkLoader whether the loader is the bootstrap or platform loader
   * @param nameOnly a description carrying only the class's binary name, for JDK-loader classes
   */
  boolean mightMatch(ClassLoader loader, boolean jdkLoader, TypeDescription nameOnly, byte[] classFile) {
    if (!gate.matches(loader)) {
      return false;
    }
    if (!jdkLoader) {
      return ClassFileNames.mentionsAny(classFile, packagePrefixes);
    }
    for (ElementMatcher<TypeDescription> matcher : jdkTypeMatchers) {
      try {
        if (matcher.matches(nameOnly)) {
          return true;
        }
      } catch (RuntimeException e) {
        return true; // a matcher that needs more than a name: do not guess
      }
    }
    return false;
  }
}
