package dev.sketchtrace.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "jdbc:postgresql://db.example:5433/shop?user=admin&password=hunter2 | postgresql | shop | db.example | 5433",
        "jdbc:postgresql://db.example/shop | postgresql | shop | db.example | 5432",
        "jdbc:postgresql://h1:5432,h2:5433/shop?targetServerType=primary | postgresql | shop | h1 | 5432",
        "jdbc:postgresql://[::1]:5440/shop | postgresql | shop | ::1 | 5440",
        "jdbc:postgresql:shop | postgresql | shop | localhost | 5432",
        "jdbc:postgresql://127.0.0.1:5432/test | postgresql | test | 127.0.0.1 | 5432",
        "jdbc:mysql://admin:hunter2@db:3307/shop?password=hunter2 | mysql | shop | db | 3307",
        "jdbc:mysql://db/shop | mysql | shop | db | 3306",
        "jdbc:mysql:loadbalance://h1:3306,h2:3306/shop | mysql | shop | h1 | 3306",
        "jdbc:mysql://address=(host=myhost)(port=3309)(user=u)(password=hunter2)/shop | mysql | shop | myhost | 3309",
        "jdbc:mysql+srv://_mysql._tcp.example.com/shop | mysql | shop | _mysql._tcp.example.com | 3306",
        "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=hunter2 | mariadb | test | 127.0.0.1 | 3306",
        "jdbc:mariadb:replication://primary:3306,replica:3306/shop | mariadb | shop | primary | 3306",
        "jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1;PASSWORD=hunter2 | h2 | testdb | - | 0",
        "jdbc:h2:mem: | h2 | - | - | 0",
        "jdbc:h2:file:/data/sample;USER=sa | h2 | sample | - | 0",
        "jdbc:h2:~/test | h2 | test | - | 0",
        "jdbc:h2:./target/db/app | h2 | app | - | 0",
        "jdbc:h2:tcp://dbhost:9093/~/sample | h2 | sample | dbhost | 9093",
        "jdbc:h2:tcp://dbhost/mem:shared | h2 | shared | dbhost | 9092",
        "jdbc:hsqldb:mem:mymemdb | hsqldb | mymemdb | - | 0",
        "jdbc:hsqldb:file:/opt/db/testdb;shutdown=true | hsqldb | testdb | - | 0",
        "jdbc:hsqldb:hsql://localhost/xdb | hsqldb | xdb | localhost | 9001",
        "jdbc:hsqldb:hsql://dbhost:9005/xdb | hsqldb | xdb | dbhost | 9005",
        "jdbc:derby:memory:demo;create=true | derby | demo | - | 0",
        "jdbc:derby:/tmp/derbydb;user=app;password=hunter2 | derby | derbydb | - | 0",
        "jdbc:derby://dbhost:1528/sample;user=app;password=hunter2 | derby | sample | dbhost | 1528",
        "jdbc:derby://dbhost/sample | derby | sample | dbhost | 1527",
        "jdbc:oracle:thin:@dbhost:1522:ORCL | oracle | ORCL | dbhost | 1522",
        "jdbc:oracle:thin:scott/hunter2@dbhost:1521:ORCL | oracle | ORCL | dbhost | 1521",
        "jdbc:oracle:thin:@//dbhost:1523/orclpdb | oracle | orclpdb | dbhost | 1523",
        "jdbc:oracle:thin:@//dbhost/orclpdb | oracle | orclpdb | dbhost | 1521",
        "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1525))(CONNECT_DATA=(SERVICE_NAME=svc))) | oracle | svc | ora1 | 1525",
        "jdbc:oracle:thin:@tnsalias | oracle | tnsalias | - | 0",
        "jdbc:sqlserver://mssql1:1434;databaseName=shop;user=sa;password=hunter2 | mssql | shop | mssql1 | 1434",
        "jdbc:sqlserver://mssql1\\SQLEXPRESS;database=shop;password=hunter2 | mssql | shop | mssql1 | 1433",
        "jdbc:sqlserver://;serverName=mssql2;databaseName=shop | mssql | shop | mssql2 | 1433",
        "jdbc:jtds:sqlserver://mssql3:1435/shop;password=hunter2 | mssql | shop | mssql3 | 1435",
        "jdbc:db2://db2host:50001/SAMPLE:user=u;password=hunter2; | db2 | SAMPLE | db2host | 50001",
        "jdbc:db2://db2host/SAMPLE | db2 | SAMPLE | db2host | 50000",
        "jdbc:sqlite:/var/data/app.db | sqlite | app.db | - | 0",
        "jdbc:sqlite::memory: | sqlite | - | - | 0",
        "jdbc:clickhouse://ch1:8124/analytics?password=hunter2 | clickhouse | analytics | ch1 | 8124",
        "jdbc:clickhouse:https://ch1/analytics | clickhouse | analytics | ch1 | 8443",
        "jdbc:ch://ch1/analytics | clickhouse | analytics | ch1 | 8123",
        "jdbc:p6spy:mysql://db:3306/shop | mysql | shop | db | 3306",
        "jdbc:otel:postgresql://db:5432/shop | postgresql | shop | db | 5432",
        "jdbc:vertica://vhost:5433/vdb?password=hunter2 | other_sql | vdb | vhost | 5433",
        "jdbc:unknowndriver:whatever;password=hunter2 | other_sql | - | - | 0",
        "not a url | other_sql | - | - | 0",
        "jdbc:postgresql://bad:port/shop | postgresql | shop | bad | 5432",
      })
  void parses(String url, String system, String namespace, String host, int port) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    assertThat(parsed.system).isEqualTo(system);
    assertThat(parsed.namespace).isEqualTo(namespace);
    assertThat(parsed.host).isEqualTo(host);
    assertThat(parsed.port).isEqualTo(port);
    assertThat(parsed.toString()).doesNotContain("hunter2").doesNotContain("admin").doesNotContain("scott");
  }
}
