package dev.sketchtrace.instrumentation.jdbc;

import dev.sketchtrace.bootstrap.jdbc.JdbcConnections;
import java.sql.Connection;

/**
 * Reads a connection's URL from its metadata for {@link JdbcConnections#urlOf}, which cannot see
 * {@code java.sql} from the bootstrap loader. Called at most once per connection; every driver's
 * connection passes through here, so this call site is megamorphic, which costs nothing at that
 * rate.
 */
final class MetadataUrlReader implements JdbcConnections.UrlReader {
  @Override
  public String read(Object connection) throws Exception {
    return ((Connection) connection).getMetaData().getURL();
  }
}
