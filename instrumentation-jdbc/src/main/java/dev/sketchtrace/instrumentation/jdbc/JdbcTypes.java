package dev.sketchtrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The type matchers shared by the JDBC instrumentations. */
final class JdbcTypes {
  private JdbcTypes() {}

  /**
   * Concrete classes implementing {@code interfaceName}, outside the JDK and the agent. The name
   * test runs first and is cheap; only classes that pass it have their hierarchy resolved. The JDK
   * is excluded because its JDBC types ({@code javax.sql.rowset} and friends) are wrappers whose
   * underlying driver calls are already seen, and the agent's own classes must never be advised.
   */
  static ElementMatcher.Junction<TypeDescription> implementationsOf(String interfaceName) {
    return not(nameStartsWith("java."))
        .and(not(nameStartsWith("javax.")))
        .and(not(nameStartsWith("jdk.")))
        .and(not(nameStartsWith("sun.")))
        .and(not(nameStartsWith("com.sun.")))
        .and(not(nameStartsWith("dev.sketchtrace.")))
        .and(not(isInterface()))
        .and(hasSuperType(named(interfaceName)));
  }
}
