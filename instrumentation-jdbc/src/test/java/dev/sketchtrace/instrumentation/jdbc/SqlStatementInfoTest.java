package dev.sketchtrace.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementInfoTest {
  private static final SqlSanitizer SANITIZER = new SqlSanitizer(2048);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "SELECT * FROM users WHERE id = 1 | SELECT | users",
        "select id from public.users u where u.id = 2 | SELECT | public.users",
        "SELECT a FROM t AS x ORDER BY a | SELECT | t",
        "SELECT a FROM t | SELECT | t",
        "SELECT * FROM \"Order Items\" WHERE x = 1 | SELECT | Order Items",
        "SELECT * FROM `shop`.`items` | SELECT | shop.items",
        "SELECT * FROM a, b WHERE a.id = b.id | SELECT | -",
        "SELECT * FROM a JOIN b ON a.id = b.id | SELECT | -",
        "SELECT * FROM a x LEFT OUTER JOIN b y ON x.id = y.id | SELECT | -",
        "SELECT * FROM (SELECT * FROM t) s | SELECT | -",
        "SELECT (SELECT max(v) FROM u) FROM t WHERE a = 1 | SELECT | t",
        "SELECT a FROM t UNION SELECT a FROM u | SELECT | -",
        "SELECT 1 | SELECT | -",
        "SELECT now() | SELECT | -",
        "INSERT INTO orders (id, note) VALUES (1, 'x') | INSERT | orders",
        "insert ignore into logs values (1) | INSERT | logs",
        "INSERT INTO t SELECT * FROM u | INSERT | t",
        "UPDATE accounts SET balance = 0 WHERE id = 1 | UPDATE | accounts",
        "UPDATE accounts a SET balance = 0 | UPDATE | accounts",
        "UPDATE a, b SET a.x = b.x | UPDATE | -",
        "DELETE FROM sessions WHERE token = 'z' | DELETE | sessions",
        "DELETE FROM a USING b WHERE a.id = b.id | DELETE | -",
        "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN DELETE | MERGE | t",
        "CREATE TABLE IF NOT EXISTS items (id INT) | CREATE | items",
        "CREATE TEMPORARY TABLE tmp (id INT) | CREATE | tmp",
        "CREATE INDEX idx ON items (id) | CREATE | -",
        "DROP TABLE IF EXISTS items | DROP | items",
        "ALTER TABLE items ADD COLUMN x INT | ALTER | items",
        "TRUNCATE TABLE items | TRUNCATE | items",
        "TRUNCATE items | TRUNCATE | items",
        "{call update_stock(?, 42)} | CALL | -",
        "{? = call f(?)} | CALL | -",
        "CALL proc(1) | CALL | -",
        "WITH x AS (SELECT 1) SELECT * FROM x | WITH | -",
        "COMMIT | COMMIT | -",
        "ROLLBACK | ROLLBACK | -",
        "/* comment */ SELECT * FROM t | SELECT | t",
        "FOO BAR | - | -",
        "? | - | -",
        "SELECT * FROM ? | SELECT | -",
      })
  void operationAndCollection(String sql, String operation, String collection) {
    SqlStatementInfo info = SqlStatementInfo.of(SANITIZER.sanitize(sql, SqlDialect.STANDARD));
    assertThat(info.operation).isEqualTo(operation);
    assertThat(info.collection).isEqualTo(collection);
  }
}
