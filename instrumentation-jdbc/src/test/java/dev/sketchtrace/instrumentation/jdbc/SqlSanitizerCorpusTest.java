package dev.sketchtrace.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sanitizer over a corpus: hand-written nasty statements with their exact expected fingerprint,
 * plus every template × literal form × dialect. Each case names the secret fragments its literals
 * hold; none may survive in the output.
 */
class SqlSanitizerCorpusTest {
  private static final SqlSanitizer SANITIZER = new SqlSanitizer(2048);

  /** dialect, raw SQL, expected fingerprint, secrets that must not survive. */
  static Stream<Arguments> nasty() {
    List<Arguments> c = new ArrayList<>();
    SqlDialect S = SqlDialect.STANDARD;
    SqlDialect M = SqlDialect.MYSQL;
    SqlDialect U = SqlDialect.UNKNOWN;
    SqlDialect C = SqlDialect.CLICKHOUSE;
    add(c, S, "SELECT 'a''Zq' FROM t", "SELECT ? FROM t", "Zq");
    add(c, S, "SELECT 'it''s -- Zq not a comment' , x FROM t -- real comment", "SELECT ? , x FROM t", "Zq", "real");
    add(c, S, "SELECT /* outer /* nested 'Zq' */ still Zq2 */ 1", "SELECT ?", "Zq");
    add(c, S, "SELECT 'unterminated Zq", "SELECT ?", "Zq");
    add(c, S, "SELECT a FROM t WHERE b = 'Zq unterminated AND c = 5", "SELECT a FROM t WHERE b = ?", "Zq", "5");
    add(c, S, "SELECT a FROM t /* unterminated 'Zq'", "SELECT a FROM t", "Zq");
    add(c, S, "SELECT $$body with 'quotes' and Zq$$", "SELECT ?", "Zq", "quotes");
    add(c, S, "SELECT $fn$ BEGIN RETURN 'x'; Zq END $fn$", "SELECT ?", "Zq", "RETURN");
    add(c, S, "SELECT $fn$ unterminated Zq", "SELECT ?", "Zq");
    add(c, S, "SELECT $a$ inner $b$ Zq $b$ still $a$, 2", "SELECT ?, ?", "Zq", "still");
    add(c, S, "SELECT * FROM t WHERE a = $1 AND b = $2", "SELECT * FROM t WHERE a = $1 AND b = $2");
    add(c, S, "SELECT \"Weird Column\" FROM \"My Table\" WHERE x = 'Zq'",
        "SELECT \"Weird Column\" FROM \"My Table\" WHERE x = ?", "Zq");
    add(c, S, "SELECT \"unterminated Zq", "SELECT ?", "Zq");
    add(c, S, "SELECT E'esc\\'aped Zq' FROM t", "SELECT ? FROM t", "Zq", "aped");
    add(c, S, "SELECT e'\\\\' , 'Zq'", "SELECT ? , ?", "Zq");
    add(c, S, "SELECT U&'d\\0061t\\+000061 Zq' FROM t", "SELECT ? FROM t", "Zq");
    add(c, S, "SELECT X'DEADBEEF', B'1010', x'cafe'", "SELECT ?, ?, ?", "DEADBEEF", "1010", "cafe");
    add(c, S, "SELECT 0xFF, 0b1010, 1e10, 1.5E-3, .25, 3., 10L", "SELECT ?, ?, ?, ?, ?, ?, ?", "FF", "1010", "25", "10");
    add(c, S, "SELECT * FROM t1 WHERE c2 = 3", "SELECT * FROM t1 WHERE c2 = ?", " 3");
    add(c, S, "SELECT * FROM t WHERE flag = TRUE OR other = false", "SELECT * FROM t WHERE flag = ? OR other = ?", "TRUE", "false");
    add(c, S, "SELECT * FROM t WHERE id IN (1, 2, 3, 4)", "SELECT * FROM t WHERE id IN (?)", "1", "4");
    add(c, S, "select * from t where id not in ('Zq','Zr' , 'Zs')", "select * from t where id not in (?)", "Zq", "Zr", "Zs");
    add(c, S, "SELECT * FROM t WHERE id IN(?,?,?)", "SELECT * FROM t WHERE id IN(?)");
    add(c, S, "SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))", "SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))", "1", "2", "3", "4");
    add(c, S, "SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE z = 9)", "SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE z = ?)", "9");
    add(c, S, "SELECT * FROM join_in (1, 2)", "SELECT * FROM join_in (?, ?)", "1");
    add(c, S, "SELECT  a,\n\t b\r\nFROM   t", "SELECT a, b FROM t");
    add(c, S, "SELECT 'ünïcødé 秘密 Zq' FROM t", "SELECT ? FROM t", "秘密", "Zq");
    add(c, S, "SELECT ünïcode_col FROM täble WHERE x = 'Zq'", "SELECT ünïcode_col FROM täble WHERE x = ?", "Zq");
    add(c, S, "SELECT '\uD83D\uDE00 Zq emoji' FROM t", "SELECT ? FROM t", "Zq", "\uD83D");
    add(c, S, "{call update_stock(?, 42)}", "{call update_stock(?, ?)}", "42");
    add(c, S, "{? = call f('Zq')}", "{? = call f(?)}", "Zq");
    add(c, S, "SELECT * FROM t WHERE d = DATE '2024-02-29'", "SELECT * FROM t WHERE d = DATE ?", "2024");
    add(c, S, "SELECT * FROM t WHERE d = TIMESTAMP'2024-02-29 10:00'", "SELECT * FROM t WHERE d = ?", "2024");
    add(c, S, "SELECT * FROM t WHERE i = INTERVAL '3 days'", "SELECT * FROM t WHERE i = INTERVAL ?", "3 days");
    add(c, S, "SELECT N'unicode Zq'", "SELECT ?", "Zq");
    add(c, S, "SELECT 'a' 'Zq' 'c'", "SELECT ? ? ?", "Zq");
    add(c, S, "SELECT '' FROM t", "SELECT ? FROM t");
    add(c, S, "SELECT -42, +7", "SELECT -?, +?", "42", "7");
    add(c, S, "SELECT a-1 FROM t", "SELECT a-? FROM t", "1");
    add(c, S, "SELECT a--1 Zq comment\nFROM t", "SELECT a FROM t", "Zq", "1");
    add(c, S, "SELECT 1;DROP TABLE t; -- 'Zq'", "SELECT ?;DROP TABLE t;", "Zq", "1");
    add(c, S, "SELECT :name, ?, @p1 FROM t", "SELECT :name, ?, @p1 FROM t");
    add(c, S, "SELECT [My Col] FROM [dbo].[T] WHERE x = N'Zq'", "SELECT [My Col] FROM [dbo].[T] WHERE x = ?", "Zq");
    add(c, S, "SELECT a[1], b[2:3] FROM t", "SELECT a[?], b[?:?] FROM t", "1", "2", "3");
    add(c, S, "SELECT * FROM #temp WHERE x = 1", "SELECT * FROM #temp WHERE x = ?", "1");
    add(c, S, "SELECT 'a\\' , 'Zq'", "SELECT ? , ?", "Zq");
    add(c, S, "SELECT 'Zq'::text, 5::int", "SELECT ?::text, ?::int", "Zq", "5");
    add(c, S, "SELECT a FROM t WHERE b ~ '^Zq.*$'", "SELECT a FROM t WHERE b ~ ?", "Zq");
    add(c, S, "SELECT a FROM t WHERE j @> '{\"k\": \"Zq\"}'", "SELECT a FROM t WHERE j @> ?", "Zq");
    add(c, S, "SELECT ARRAY[1, 2, 3]", "SELECT ARRAY[?, ?, ?]", "1");
    add(c, S, "SELECT a FROM t LIMIT 10 OFFSET 20", "SELECT a FROM t LIMIT ? OFFSET ?", "10", "20");
    add(c, S, "SELECT a FROM t FETCH FIRST 5 ROWS ONLY", "SELECT a FROM t FETCH FIRST ? ROWS ONLY", "5");
    add(c, S, "SELECT * FROM dual WHERE 'Zq' = 'Zq' -- '\n AND 1 = 1", "SELECT * FROM dual WHERE ? = ? AND ? = ?", "Zq", "1");
    add(c, S, "SELECT '/* Zq */' FROM t", "SELECT ? FROM t", "Zq");
    add(c, S, "SELECT \"col\"\"quoted\" FROM t WHERE v = 'Zq'", "SELECT \"col\"\"quoted\" FROM t WHERE v = ?", "Zq");
    add(c, S, "  \n SELECT 1  \n ", "SELECT ?", "1");
    add(c, S, "SELECT $ FROM t", "SELECT $ FROM t");
    add(c, S, "SELECT \u00A0'Zq'", "SELECT \u00A0?", "Zq");
    add(c, M, "SELECT * FROM t WHERE a = \"Zq\"", "SELECT * FROM t WHERE a = ?", "Zq");
    add(c, M, "SELECT 'it\\'s Zq' FROM t", "SELECT ? FROM t", "Zq", "s Zq");
    add(c, M, "SELECT 'a\\\\' , 'Zq'", "SELECT ? , ?", "Zq");
    add(c, M, "SELECT * FROM t # comment 'Zq'\nWHERE b = 1", "SELECT * FROM t WHERE b = ?", "Zq", "comment", "1");
    add(c, M, "SELECT `col` FROM `tbl` WHERE x = _utf8mb4'Zq' COLLATE utf8mb4_bin",
        "SELECT `col` FROM `tbl` WHERE x = ? COLLATE utf8mb4_bin", "Zq");
    add(c, M, "SELECT /*!40001 SQL_NO_CACHE */ * FROM t", "SELECT * FROM t", "40001");
    add(c, M, "INSERT INTO t VALUES (1,'Zq'),(2,'Zr')", "INSERT INTO t VALUES (?,?),(?,?)", "Zq", "Zr", "1", "2");
    add(c, M, "SELECT \"a\\\"b Zq\"", "SELECT ?", "Zq");
    add(c, M, "SELECT 'x' FROM t WHERE a = \"unterminated Zq", "SELECT ? FROM t WHERE a = ?", "Zq");
    add(c, M, "SELECT `unterminated Zq", "SELECT ?", "Zq");
    add(c, M, "SELECT a FROM t WHERE b = 0x1F2E AND c = b'0101'", "SELECT a FROM t WHERE b = ? AND c = ?", "1F2E", "0101");
    add(c, M, "SELECT 'a\\'' , 'Zq'", "SELECT ? , ?", "Zq");
    add(c, U, "SELECT \"maybe string Zq\"", "SELECT ?", "Zq");
    add(c, U, "SELECT 'it\\'s Zq' FROM t", "SELECT ? FROM t", "Zq");
    add(c, C, "SELECT \"col\" FROM t WHERE s = 'it\\'s Zq'", "SELECT \"col\" FROM t WHERE s = ?", "Zq");
    add(c, C, "SELECT count() FROM events WHERE d >= toDate('2024-01-01') FORMAT JSON",
        "SELECT count() FROM events WHERE d >= toDate(?) FORMAT JSON", "2024");
    return c.stream();
  }

  private static final String[] TEMPLATES = {
    "SELECT * FROM users WHERE name = {L}",
    "SELECT id, name FROM users WHERE id = {L} AND status = {L}",
    "INSERT INTO orders (id, note) VALUES ({L}, {L})",
    "UPDATE accounts SET balance = {L} WHERE id = {L}",
    "DELETE FROM sessions WHERE token = {L}",
    "SELECT * FROM t WHERE a IN ({L}, {L}, {L})",
    "SELECT count(*) FROM logs WHERE msg LIKE {L} ORDER BY id",
    "SELECT CASE WHEN x > {L} THEN {L} ELSE {L} END FROM t",
    "CALL proc({L}, {L})",
    "SELECT * FROM a JOIN b ON a.id = b.id WHERE b.v = {L}",
    "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET v = {L}",
    "SELECT {L} AS x",
    "UPDATE t SET a = {L}, b = {L} WHERE c <> {L}",
    "SELECT * FROM t WHERE x BETWEEN {L} AND {L}",
    "INSERT INTO t VALUES ({L}) ON CONFLICT DO NOTHING",
  };

  /** Literal forms valid (or at least redacted) in every dialect: raw form and its secret. */
  private static final String[][] LITERALS = {
    {"'Zq secret'", "Zq"},
    {"'O''Zq'", "Zq"},
    {"'Zq -- not a comment'", "Zq"},
    {"'Zq /* not */ a comment'", "Zq"},
    {"'Zq ünïcødé 日本'", "日本"},
    {"12345", "12345"},
    {"3.14159e10", "14159"},
    {"0xDEADBEEF", "DEADBEEF"},
    {"X'CAFE'", "CAFE"},
    {"E'Zq\\'s'", "Zq"},
    {"N'Zq'", "Zq"},
    {"TRUE", "TRUE"},
    {"$$Zq body$$", "Zq"},
    {"$fn$Zq$fn$", "Zq"},
    {".5678", "5678"},
  };

  static Stream<Arguments> generated() {
    List<Arguments> c = new ArrayList<>();
    for (SqlDialect dialect : SqlDialect.values()) {
      for (String template : TEMPLATES) {
        for (String[] literal : LITERALS) {
          String sql = template.replace("{L}", literal[0]);
          String expected = template.replace("{L}", "?").replace("IN (?, ?, ?)", "IN (?)");
          c.add(Arguments.of(dialect, sql, expected, new String[] {literal[1]}));
        }
      }
      // Dialect-specific forms.
      c.add(Arguments.of(dialect, "SELECT * FROM t WHERE a = 'x\\' OR b = 'Zq'",
          dialect.backslashEscapes ? "SELECT * FROM t WHERE a = ??" : "SELECT * FROM t WHERE a = ? OR b = ?",
          new String[] {"Zq"}));
    }
    return c.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("nasty")
  void nastyStatementsSanitizeExactly(SqlDialect dialect, String sql, String expected, String[] secrets) {
    String out = SANITIZER.sanitize(sql, dialect);
    assertThat(out).isEqualTo(expected);
    assertNoSecret(out, secrets);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("generated")
  void everyLiteralFormIsRedactedInEveryTemplateAndDialect(
      SqlDialect dialect, String sql, String expected, String[] secrets) {
    String out = SANITIZER.sanitize(sql, dialect);
    assertThat(out).isEqualTo(expected);
    assertNoSecret(out, secrets);
  }

  @Test
  void corpusHasAtLeastTwoHundredStatements() {
    assertThat(nasty().count() + generated().count()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void outputIsBoundedAndATruncatedTextLeaksNothing() {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < 2000; i++) {
      sql.append("col").append(i).append(" + 'Zq").append(i).append("', ");
    }
    sql.append("x FROM t");
    String out = new SqlSanitizer(256).sanitize(sql.toString(), SqlDialect.STANDARD);
    assertThat(out).hasSizeLessThanOrEqualTo(256 + SqlSanitizer.TRUNCATION_MARK.length());
    assertThat(out).endsWith(SqlSanitizer.TRUNCATION_MARK).doesNotContain("Zq");
  }

  @Test
  void aHugeLiteralBecomesOneMark() {
    String sql = "SELECT '" + "Zq".repeat(500_000) + "' FROM t";
    assertThat(SANITIZER.sanitize(sql, SqlDialect.STANDARD)).isEqualTo("SELECT ? FROM t");
  }

  @Test
  void noDigitRunSurvivesAnywhereInTheGeneratedCorpusOutsideIdentifiers() {
    generated().forEach(a -> {
      String out = SANITIZER.sanitize((String) a.get()[1], (SqlDialect) a.get()[0]);
      assertThat(out).doesNotContainPattern("(?<![A-Za-z_$0-9])[0-9]");
    });
  }

  private static void assertNoSecret(String out, String[] secrets) {
    for (String secret : secrets) {
      assertThat(out).as("literal fragment %s survived", secret).doesNotContain(secret);
    }
  }

  private static void add(List<Arguments> c, SqlDialect d, String sql, String expected, String... secrets) {
    c.add(Arguments.of(d, sql, expected, secrets));
  }
}
