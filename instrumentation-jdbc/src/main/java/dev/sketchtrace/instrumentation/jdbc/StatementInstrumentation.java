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
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every {@code java.sql.Statement} implementation (so also {@code PreparedStatement} and {@code
 * CallableStatement}): the execute methods, {@code addBatch} and {@code clearBatch}.
 */
final class StatementInstrumentation implements TypeInstrumentation {
  private static final String ADVICE = "dev.sketchtrace.instrumentation.jdbc.StatementAdvice$";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return JdbcTypes.implementationsOf("java.sql.Statement");
  }

  @Override
  public List<String> adviceMethodNames() {
    return List.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
        "executeLargeBatch", "addBatch", "clearBatch");
  }

  @Override
  public void applyAdvice(AdviceTarget target) {
    ElementMatcher.Junction<MethodDescription> executes =
        publicConcrete()
            .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"));
    target.advise(
        executes.and(takesArgument(0, String.class).or(takesArguments(0))), ADVICE + "Execute");
    target.advise(
        publicConcrete().and(namedOneOf("executeBatch", "executeLargeBatch")).and(takesArguments(0)),
        ADVICE + "ExecuteBatch");
    target.advise(
        publicConcrete().and(named("addBatch")).and(takesArguments(0)), ADVICE + "AddBatch");
    target.advise(
        publicConcrete()
            .and(named("addBatch"))
            .and(takesArguments(1))
            .and(takesArgument(0, String.class)),
        ADVICE + "AddBatchSql");
    target.advise(
        publicConcrete().and(named("clearBatch")).and(takesArguments(0)), ADVICE + "ClearBatch");
  }

  private static ElementMatcher.Junction<MethodDescription> publicConcrete() {
    return isPublic().and(not(isAbstract()));
  }
}
