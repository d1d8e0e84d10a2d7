package dev.sketchtrace.instrumentation.servlet;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
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
 * Every concrete {@code Servlet} and {@code Filter} of one servlet API ({@code javax.servlet} or
 * {@code jakarta.servlet}): their {@code service(ServletRequest, ServletResponse)} and {@code
 * doFilter(ServletRequest, ServletResponse, FilterChain)} get the API's service advice. The
 * {@code HttpServletRequest}-typed overloads are not advised: the generic entry point always runs
 * first and covers them.
 *
 * <p>The type matcher walks the hierarchy, which costs; the agent only runs it for class loaders
 * that can see the API's marker class. Immutable.
 */
public final class ServletTypeInstrumentation implements TypeInstrumentation {
  private final String apiPackage;
  private final String adviceClassName;

  /**
   * @param apiPackage {@code javax.servlet} or {@code jakarta.servlet}
   * @param adviceClassName the binary name of that API's service advice
   */
  public ServletTypeInstrumentation(String apiPackage, String adviceClassName) {
    this.apiPackage = apiPackage;
    this.adviceClassName = adviceClassName;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return not(isInterface())
        .and(hasSuperType(named(apiPackage + ".Servlet").or(named(apiPackage + ".Filter"))));
  }

  @Override
  public List<String> adviceMethodNames() {
    return List.of("service", "doFilter");
  }

  @Override
  public void applyAdvice(AdviceTarget target) {
    target.advise(entryPoints(), adviceClassName);
  }

  /** The two entry methods; public for the advice tests, which weave with the same matcher. */
  public ElementMatcher<MethodDescription> entryPoints() {
    String request = apiPackage + ".ServletRequest";
    String response = apiPackage + ".ServletResponse";
    return isMethod()
        .and(not(isAbstract()))
        .and(takesArgument(0, named(request)))
        .and(takesArgument(1, named(response)))
        .and(
            named("service")
                .and(takesArguments(2))
                .or(
                    named("doFilter")
                        .and(takesArguments(3))
                        .and(takesArgument(2, named(apiPackage + ".FilterChain")))));
  }
}
