package dev.sketchtrace.sample.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The WAR's in-memory H2 database, created and seeded on first use. A {@code DataSource} rather
 * than {@code DriverManager}, which cannot see drivers in a webapp's WEB-INF/lib. Thread-safe
 * (initialization-on-demand holder).
 */
final class LegacyDatabase {

  private LegacyDatabase() {}

  private static final class Holder {
    static final JdbcDataSource DATA_SOURCE = create();
  }

  static Connection connect() throws SQLException {
    return Holder.DATA_SOURCE.getConnection();
  }

  private static JdbcDataSource create() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:legacy;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY, title VARCHAR(100) NOT NULL)");
      s.execute("DELETE FROM items");
      s.execute("INSERT INTO items (id, title) VALUES (1, 'ledger'), (2, 'stapler'), (3, 'fax machine')");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the legacy database", e);
    }
    return ds;
  }
}
