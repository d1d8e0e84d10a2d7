package dev.sketchtrace.it.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The app the JDBC integration tests run in a child JVM, with and without the agent: a fixed
 * sequence of plain, prepared, callable, batch, failing (at execute, and on H2 at prepare) and
 * transactional statements against one database, through the driver directly or through HikariCP.
 * Everything it reads back is printed between {@code RESULTS BEGIN} and {@code RESULTS END}, so two
 * runs can be compared byte for byte.
 *
 * <p>Arguments: {@code <jdbc url> <table name> <plain|hikari>}. After the workload it prints
 * {@code WORKLOAD DONE} and stays alive (for the agent to export) until stdin closes or 60 s pass.
 */
public final class JdbcWorkload {
  /** Statement counts the tests expect, per sanitized fingerprint; kept next to the code that runs them. */
  static final int PREPARED_SELECTS = 5;
  static final int BATCH_SIZE = 3;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String table = args[1];
    boolean hikari = args[2].equals("hikari");
    StringBuilder out = new StringBuilder("RESULTS BEGIN\n");
    if (hikari) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setMaximumPoolSize(2);
      config.setMinimumIdle(1);
      try (HikariDataSource pool = new HikariDataSource(config);
          Connection connection = pool.getConnection()) {
        run(connection, url, table, out);
      }
    } else {
      try (Connection connection = DriverManager.getConnection(url)) {
        run(connection, url, table, out);
      }
    }
    out.append("RESULTS END\n");
    System.out.print(out);
    System.out.println("WORKLOAD DONE");
    System.out.flush();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && System.in.read() >= 0) {
      // wait for the test to close us
    }
  }

  static void run(Connection c, String url, String table, StringBuilder out) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(64), qty INT)");
      out.append("inserted plain ")
          .append(s.executeUpdate("INSERT INTO " + table + " (id, name, qty) VALUES (1, 'secret-apple', 10)"))
          .append('\n');
    }
    String insert = "INSERT INTO " + table + " (id, name, qty) VALUES (?, ?, ?)";
    try (PreparedStatement p = c.prepareStatement(insert)) {
      p.setInt(1, 2);
      p.setString(2, "pear");
      p.setInt(3, 4);
      out.append("inserted prepared ").append(p.executeUpdate()).append('\n');
    }
    try (PreparedStatement p = c.prepareStatement(insert)) {
      for (int id = 3; id < 3 + BATCH_SIZE; id++) {
        p.setInt(1, id);
        p.setString(2, "item-" + id);
        p.setInt(3, id * 3);
        p.addBatch();
      }
      int[] counts = p.executeBatch();
      out.append("batch ").append(counts.length).append('\n');
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM " + table + " WHERE qty > 5 ORDER BY id")) {
      print(rs, out);
    }
    try (PreparedStatement p = c.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
      for (int id = 1; id <= PREPARED_SELECTS; id++) {
        p.setInt(1, id);
        try (ResultSet rs = p.executeQuery()) {
          print(rs, out);
        }
      }
    }
    try (CallableStatement call = c.prepareCall("{? = call abs(?)}")) {
      call.registerOutParameter(1, Types.INTEGER);
      call.setInt(2, -42);
      call.execute();
      out.append("abs ").append(call.getInt(1)).append('\n');
    }
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT * FROM " + table + "_missing WHERE id = 7");
      out.append("missing table query succeeded?!\n");
    } catch (SQLException e) {
      out.append("failed ").append(e.getClass().getName()).append(' ').append(e.getSQLState())
          .append(' ').append(e.getErrorCode()).append('\n');
    }
    // A syntax error: H2 refuses it at prepareStatement, PostgreSQL and MariaDB (client-side
    // prepare) at executeQuery. Either way the app sees the driver's exception, the agent one span.
    String step = "prepare";
    try (PreparedStatement p = c.prepareStatement("SELECT id, FROM " + table + " WHERE id = 7")) {
      step = "execute";
      p.executeQuery();
      out.append("malformed query succeeded?!\n");
    } catch (SQLException e) {
      out.append("refused ").append(e.getClass().getName()).append(' ').append(e.getSQLState())
          .append(" at ").append(step).append('\n');
    }
    c.setAutoCommit(false);
    String update = "UPDATE " + table + " SET qty = qty + ? WHERE id = ?";
    try (PreparedStatement p = c.prepareStatement(update)) {
      p.setInt(1, 100);
      p.setInt(2, 1);
      out.append("updated ").append(p.executeUpdate()).append('\n');
      c.commit();
      p.setInt(1, 1000);
      p.setInt(2, 2);
      out.append("updated ").append(p.executeUpdate()).append('\n');
      c.rollback();
    }
    c.setAutoCommit(true);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM " + table + " ORDER BY id")) {
      print(rs, out);
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + table);
    }
  }

  private static void print(ResultSet rs, StringBuilder out) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    while (rs.next()) {
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        out.append(i == 1 ? "" : " | ").append(rs.getString(i));
      }
      out.append('\n');
    }
  }
}
