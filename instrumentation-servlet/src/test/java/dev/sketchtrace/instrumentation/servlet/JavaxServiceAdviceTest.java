package dev.sketchtrace.instrumentation.servlet;

import java.io.IOException;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.GenericServlet;
import javax.servlet.Servlet;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;

class JavaxServiceAdviceTest extends ServiceAdviceContract {
  private static final String ADVICE =
      "dev.sketchtrace.instrumentation.servlet.javax.JavaxServiceAdvice";
  private static final ServletTypeInstrumentation INSTRUMENTATION =
      new ServletTypeInstrumentation("javax.servlet", ADVICE);

  public static final class SampleServlet extends GenericServlet {
    private static final long serialVersionUID = 1L;

    @Override
    public void service(ServletRequest request, ServletResponse response) throws IOException {
      SampleBehavior behavior = (SampleBehavior) request.getAttribute(SampleBehavior.ATTRIBUTE);
      if (behavior != null) {
        behavior.run(request, response);
      }
    }
  }

  public static final class SampleFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, javax.servlet.ServletException {
      SampleBehavior behavior = (SampleBehavior) request.getAttribute(SampleBehavior.ATTRIBUTE);
      if (behavior != null) {
        behavior.run(request, response);
      }
      chain.doFilter(request, response);
    }
  }

  @Override
  String api() {
    return "javax.servlet";
  }

  @Override
  Object servlet() {
    return Weaver.weave(SampleServlet.class, INSTRUMENTATION, ADVICE);
  }

  @Override
  Object filter() {
    return Weaver.weave(SampleFilter.class, INSTRUMENTATION, ADVICE);
  }

  @Override
  void service(Object servlet, Object request, Object response) throws Exception {
    ((Servlet) servlet).service((ServletRequest) request, (ServletResponse) response);
  }

  @Override
  void doFilter(Object filter, Object servlet, Object request, Object response) throws Exception {
    FilterChain end = (rq, rs) -> ((Servlet) servlet).service(rq, rs);
    ((Filter) filter).doFilter((ServletRequest) request, (ServletResponse) response, end);
  }

  @Override
  void onComplete(Object listener, Object context) throws Exception {
    ((AsyncListener) listener).onComplete(new AsyncEvent((AsyncContext) context));
  }

  @Override
  void onError(Object listener, Object context, Throwable error) throws Exception {
    ((AsyncListener) listener).onError(new AsyncEvent((AsyncContext) context, error));
  }
}
