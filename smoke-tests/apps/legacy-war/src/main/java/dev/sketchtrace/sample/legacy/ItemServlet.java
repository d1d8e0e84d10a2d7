package dev.sketchtrace.sample.legacy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** {@code GET /items/{id}}: one JDBC query; 404 when there is no such item. */
@WebServlet(name = "items", urlPatterns = "/items/*")
public class ItemServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
    long id;
    try {
      id = Long.parseLong(req.getPathInfo() == null ? "" : req.getPathInfo().substring(1));
    } catch (NumberFormatException e) {
      resp.sendError(HttpServletResponse.SC_BAD_REQUEST, "expected /items/<number>");
      return;
    }
    try (Connection c = LegacyDatabase.connect();
        PreparedStatement ps = c.prepareStatement("SELECT title FROM items WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          resp.sendError(HttpServletResponse.SC_NOT_FOUND);
          return;
        }
        resp.setContentType("text/plain");
        resp.getWriter().print(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new ServletException(e);
    }
  }
}
