package dev.sketchtrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.sketchtrace.instrumentation.api.AdviceTarget;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every {@code java.sql.Connection} implementation: {@code prepareStatement}/{@code prepareCall}
 * (to remember the SQL of the statement returned), {@code commit} and {@code rollback}, and the
 * housekeeping methods whose internal queries must not count as the app's statements.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {
  private static final String ADVICE = "dev.sketchtrace.instrumentation.jdbc.ConnectionAdvice$";
  private static final List<String> HOUSEKEEPING = List.of("setAutoCommit", "getAutoCommit",
      "setTransactionIsolation", "getTransactionIsolation", "setReadOnly", "isReadOnly", "setCatalog",
      "getCatalog", "setSchema", "getSchema", "isValid", "getMetaData", "setNetworkTimeout",
      "getNetworkTimeout", "setHoldability", "getHoldability", "getClientInfo", "setClientInfo",
      "getWarnings", "clearWarnings", "getTypeMap", "setTypeMap", "setSavepoint", "releaseSavepoint");

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return JdbcTypes.implementationsOf("java.sql.Connection");
  }

  @Override
  public List<String> adviceMethodNames() {
    List<String> names = new ArrayList<>(List.of("prepareStatement", "prepareCall", "commit", "rollback"));
    names.addAll(HOUSEKEEPING);
    return names;
  }

  @Override
  public void applyAdvice(AdviceTarget target) {
    target.advise(
        publicConcrete()
            .and(namedOneOf("prepareStatement", "prepareCall"))
            .and(takesArgument(0, String.class)),
        ADVICE + "Prepare");
    target.advise(
        publicConcrete()
            .and(named("commit").and(takesArguments(0))
                .or(named("rollback").and(takesArguments(0)
                    .or(takesArguments(1).and(takesArgument(0, named("java.sql.Savepoint"))))))),
        ADVICE + "EndTransaction");
    // Not close(): a pool rolling back a dirty connection on close is real work worth a span.
    target.advise(
        publicConcrete()
            .and(namedOneOf(HOUSEKEEPING.toArray(new String[0]))),
        ADVICE + "Housekeeping");
  }

  private static ElementMatcher.Junction<MethodDescription> publicConcrete() {
    return isPublic().and(not(isAbstract()));
  }
}
