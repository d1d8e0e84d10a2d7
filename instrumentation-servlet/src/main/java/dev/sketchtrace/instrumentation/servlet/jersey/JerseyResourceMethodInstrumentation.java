package dev.sketchtrace.instrumentation.servlet.jersey;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * Jersey's resource-method endpoint, {@code org.glassfish.jersey.server.model.ResourceMethodInvoker}
 * (Jersey 2.x and 3.x): its {@code apply(RequestProcessingContext)} gets {@link
 * JerseyResourceMethodAdvice}, not the generic bridge {@code apply(Object)} that calls it. Matched
 * by name alone. Immutable.
 */
public final class JerseyResourceMethodInstrumentation implements TypeInstrumentation {
  static final String INVOKER = "org.glassfish.jersey.server.model.ResourceMethodInvoker";
  private static final String ADVICE =
      "dev.sketchtrace.instrumentation.servlet.jersey.JerseyResourceMethodAdvice";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(INVOKER);
  }

  @Override
  public List<String> adviceMethodNames() {
    return List.of("apply");
  }

  @Override
  public void applyAdvice(AdviceTarget target) {
    target.advise(dispatch(), ADVICE);
  }

  /** The advised method; public for the in-process advice test, which installs the same matcher. */
  public ElementMatcher<MethodDescription> dispatch() {
    return named("apply")
        .and(not(isBridge()))
        .and(takesArguments(1))
        .and(
            takesArgument(
                0, named("org.glassfish.jersey.server.internal.process.RequestProcessingContext")));
  }
}
