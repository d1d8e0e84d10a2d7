package dev.sketchtrace.agent.install;

import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The exact, cheap necessary condition checked for every class before Byte Buddy sees it: could at
 * least one type instrumentation advise it? Advice only applies to methods a class declares, so an
 * instrumentation that lists its advised method names ({@link TypeInstrumentation#adviceMethodNames})
 * can only concern a class whose class file declares one of them — read from the class file's
 * method table without parsing it ({@link ClassFileNames#declaredMethods}). An instrumentation
 * that lists none concerns every class its loader rules and library gate allow. A JDK-targeting
 * instrumentation ({@link TypeInstrumentation#transformsLoadedClasses}, name-based by convention)
 * is also asked about the class's name alone, as {@link EarlyMatch} does: it advises constructors
 * ({@code <init>}), which nearly every class declares.
 *
 * <p>In a framework application nearly every class fails this test (a Spring class mentioning
 * {@code jakarta/servlet/} rarely declares {@code service} or {@code doFilter}), so it never reaches
 * Byte Buddy's type description and hierarchy matchers.
 *
 * <p>Thread-safe: immutable after construction.
 */
final class DeclaredMethodFilter {
  /** Instrumentations beyond the 63rd share the last bit; their filters then only widen. */
  private static final int LAST_BIT = 63;

  private final boolean[] jdkTargeting;
  /** The type matchers of JDK-targeting instrumentations (null for the others). */
  private final ElementMatcher<TypeDescription>[] byName;
  private final LibraryGate[] gates;
  private final ClassFileNames.NameTable names;
  private final long unfiltered;

  /** One entry per type instrumentation, in the same order in both lists. */
  @SuppressWarnings("unchecked")
  DeclaredMethodFilter(List<TypeInstrumentation> types, List<LibraryGate> typeGates) {
    int n = types.size();
    jdkTargeting = new boolean[n];
    byName = new ElementMatcher[n];
    gates = typeGates.toArray(new LibraryGate[0]);
    List<String> nameList = new ArrayList<>();
    List<Long> ownerList = new ArrayList<>();
    long open = 0L;
    for (int i = 0; i < n; i++) {
      TypeInstrumentation type = types.get(i);
      jdkTargeting[i] = type.transformsLoadedClasses();
      byName[i] = jdkTargeting[i] ? type.typeMatcher() : null;
      List<String> methodNames = type.adviceMethodNames();
      if (methodNames.isEmpty() || i >= LAST_BIT) {
        open |= bit(i);
      }
      for (String name : methodNames) {
        nameList.add(name);
        ownerList.add(bit(i));
      }
    }
    names = new ClassFileNames.NameTable(nameList, ownerList);
    unfiltered = open;
  }

  /**
   * Whether some instrumentation might advise this class: one that may see the loader (JDK-loader
   * classes only for JDK-targeting instrumentations; the library gate), whose advised method names
   * the class declares and, if it targets the JDK, whose type matcher accepts the class's name.
   * {@code true} for a class file that cannot be read.
   *
   * @param internalName the class's name as the JVM gives it ({@code a/b/C}), possibly null
   */
  boolean mayAdvise(ClassLoader loader, String internalName, byte[] classFile) {
    boolean jdkLoader = Installer.isJdkLoader(loader);
    long eligible = 0L;
    TypeDescription nameOnly = null;
    for (int i = 0; i < gates.length; i++) {
      if (jdkLoader && !jdkTargeting[i]) {
        continue;
      }
      if (byName[i] != null && internalName != null) {
        if (nameOnly == null) {
          nameOnly = nameOnly(internalName);
        }
        if (!matchesByName(byName[i], nameOnly)) {
          continue;
        }
      }
      eligible |= bit(i);
    }
    if (eligible == 0L) {
      return false; // e.g. a JDK class no JDK-targeting instrumentation names: the file is not read
    }
    long candidates =
        eligible & (unfiltered | ClassFileNames.declaredMethods(classFile, names, eligible));
    for (int i = 0; i < gates.length; i++) {
      if ((candidates & bit(i)) != 0 && gates[i].matches(loader)) {
        return true;
      }
    }
    return false;
  }

  static TypeDescription nameOnly(String internalName) {
    return new TypeDescription.Latent(internalName.replace('/', '.'), 0, null,
        Collections.<TypeDescription.Generic>emptyList());
  }

  private static boolean matchesByName(ElementMatcher<TypeDescription> matcher, TypeDescription nameOnly) {
    try {
      return matcher.matches(nameOnly);
    } catch (RuntimeException e) {
      return true; // a matcher that needs more than a name: do not guess
    }
  }

  private static long bit(int index) {
    return 1L << Math.min(index, LAST_BIT);
  }
}
