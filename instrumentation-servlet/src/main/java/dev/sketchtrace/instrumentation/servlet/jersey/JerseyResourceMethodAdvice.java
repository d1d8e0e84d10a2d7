package dev.sketchtrace.instrumentation.servlet.jersey;

import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.servlet.ServerSpans;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.internal.process.RequestProcessingContext;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Inlined into Jersey's {@code ResourceMethodInvoker.apply(RequestProcessingContext)}, which runs
 * once routing has matched a resource method and before that method is invoked, on the thread of
 * the servlet call. On enter it copies the templates the request's {@code ExtendedUriInfo} matched
 * (class {@code @Path}, sub-resource locators, method {@code @Path}) and the base URI's path into
 * the current request's server span; the folder joins them into {@code http.route}. Nothing happens
 * outside a servlet request with an open span (Jersey on Grizzly or in-memory, an excluded path).
 *
 * <p>Only {@code org.glassfish.jersey} types are named — their packages and these signatures are
 * the same in Jersey 2 ({@code javax.ws.rs}) and Jersey 3 ({@code jakarta.ws.rs}) — so this one
 * advice serves both. Costs one small array per request; the strings are Jersey's own.
 */
public final class JerseyResourceMethodAdvice {
  private JerseyResourceMethodAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) RequestProcessingContext context) {
    HttpServerSpan span = ServerSpans.currentRequestSpan();
    if (span == null || context == null) {
      return;
    }
    ContainerRequest request = context.request();
    // Jersey lists the most recently matched template first.
    List<UriTemplate> matched = request.getUriInfo().getMatchedTemplates();
    String[] templates = new String[matched.size()];
    int i = templates.length;
    for (UriTemplate template : matched) {
      if (i == 0) {
        break;
      }
      templates[--i] = template.getTemplate();
    }
    ServerSpans.templateRoute(span, request.getBaseUri().getRawPath(), templates);
  }
}
