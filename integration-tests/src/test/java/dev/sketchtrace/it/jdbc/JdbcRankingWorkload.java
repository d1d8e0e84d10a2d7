package dev.sketchtrace.it.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Ten distinct statements on H2, the k-th run k times (55 in all), to show ranking: with a small
 * {@code sketchtrace.jdbc.top-k} only the top statements keep their own metric series. Prints
 * {@code WORKLOAD DONE}, then waits for the test to close it.
 */
public final class JdbcRankingWorkload {
  static final int DISTINCT = 10;

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:ranking");
        Statement s = c.createStatement()) {
      for (int k = 1; k <= DISTINCT; k++) {
        for (int i = 0; i < k; i++) {
          try (ResultSet rs = s.executeQuery("SELECT " + i + " AS c" + k)) {
            rs.next();
          }
        }
      }
    }
    System.out.println("WORKLOAD DONE");
    System.out.flush();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && System.in.read() >= 0) {
      // wait for the test to close us
    }
  }

  /** The fingerprint of the k-th statement. */
  static String fingerprint(int k) {
    return "SELECT ? AS c" + k;
  }
}
