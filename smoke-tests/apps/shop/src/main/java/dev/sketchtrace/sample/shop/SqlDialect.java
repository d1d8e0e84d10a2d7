package dev.sketchtrace.sample.shop;

import java.util.Locale;

/** The few statements that differ between the databases the shop runs on. */
enum SqlDialect {
  H2("SELECT SLEEP_MS(?) AS waited, (SELECT COUNT(*) FROM orders) AS order_count"),
  POSTGRESQL("SELECT pg_sleep(CAST(? AS integer) / 1000.0) AS waited,"
      + " (SELECT COUNT(*) FROM orders) AS order_count");

  /** The report query: one parameter, the delay in milliseconds, so its SQL text never changes. */
  final String reportQuery;

  SqlDialect(String reportQuery) {
    this.reportQuery = reportQuery;
  }

  static SqlDialect of(String databaseProductName) {
    return databaseProductName.toLowerCase(Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
  }
}
