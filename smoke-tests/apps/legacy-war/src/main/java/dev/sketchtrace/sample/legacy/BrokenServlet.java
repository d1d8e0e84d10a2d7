package dev.sketchtrace.sample.legacy;

import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code GET /broken}: always fails with an exception, which the container turns into a 500. */
@WebServlet(name = "broken", urlPatterns = "/broken")
public class BrokenServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
    throw new ServletException("the legacy backend is broken on purpose");
  }
}
