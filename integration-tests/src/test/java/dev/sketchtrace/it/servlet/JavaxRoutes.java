package dev.sketchtrace.it.servlet;

import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletContainerInitializer;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * The test app of the javax container (Tomcat 9), registered through the
 * servlet API only: {@code /hello}, {@code /api/*} behind two filters, {@code /forward} (to
 * {@code /hello}), {@code /boom} (throws), {@code /unavailable} ({@code sendError(503)}), {@code
 * /async} (completes on another thread). {@link JakartaRoutes} is the same app for jakarta.
 */
public final class JavaxRoutes implements ServletContainerInitializer {
  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    context.addServlet("hello", new Text("hello")).addMapping("/hello");
    context.addServlet("api", new Text("api")).addMapping("/api/*");
    context.addServlet("forward", new Forward()).addMapping("/forward");
    context.addServlet("boom", new Boom()).addMapping("/boom");
    context.addServlet("unavailable", new Unavailable()).addMapping("/unavailable");
    var async = context.addServlet("async", new Async());
    async.addMapping("/async");
    async.setAsyncSupported(true);
    for (String name : new String[] {"first", "second"}) {
      var filter = context.addFilter(name, new Header(name));
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
    }
  }

  static final class Text extends HttpServlet {
    private final String body;

    Text(String body) {
      this.body = body;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getOutputStream().write((body + " " + req.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  static final class Forward extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp)
        throws ServletException, IOException {
      req.getRequestDispatcher("/hello").forward(req, resp);
    }
  }

  static final class Boom extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("boom");
    }
  }

  static final class Unavailable extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.sendError(503);
    }
  }

  static final class Async extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      Thread worker =
          new Thread(
              () -> {
                try {
                  Thread.sleep(50);
                  resp.setStatus(202);
                  resp.setContentType("text/plain");
                  resp.getOutputStream().write("async done\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException | InterruptedException e) {
                  resp.setStatus(500);
                } finally {
                  async.complete();
                }
              },
              "async-worker");
      worker.start();
    }
  }

  static final class Header implements Filter {
    private final String name;

    Header(String name) {
      this.name = name;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) resp).addHeader("X-Filter", name);
      chain.doFilter(req, resp);
    }
  }
}
