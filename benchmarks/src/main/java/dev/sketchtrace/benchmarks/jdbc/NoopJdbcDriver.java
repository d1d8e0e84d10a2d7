package dev.sketchtrace.benchmarks.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An in-memory JDBC "driver" that does nothing: {@code executeQuery} returns at once. What remains
 * of a benchmark against it is the cost the agents add around the call.
 *
 * <p>Its classes are generated as source from the {@code java.sql} interfaces and compiled when the
 * benchmark starts, in package {@code bench.noopjdbc}: both agents deliberately ignore classes in
 * their own packages ({@code dev.sketchtrace.*}), so a driver compiled into this module would never
 * be instrumented. Compiling at run time also means the classes are loaded after the agent, as a
 * real driver is. Needs a JDK (the system Java compiler).
 */
public final class NoopJdbcDriver {
  static final String PACKAGE = "bench.noopjdbc";

  private NoopJdbcDriver() {}

  /** A new connection to {@code url} (reported by its metadata) from freshly compiled classes. */
  public static Connection connect(String url) {
    try {
      ClassLoader loader = compile();
      return (Connection) loader.loadClass(PACKAGE + ".NoopConnection")
          .getConstructor(String.class).newInstance(url);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClassLoader compile() {
    try {
      Path dir = Files.createTempDirectory("noopjdbc");
      Path src = dir.resolve("src/bench/noopjdbc");
      Files.createDirectories(src);
      write(src, "NoopConnection", Connection.class,
          "private final String url;\n  public NoopConnection(String url) { this.url = url; }\n",
          Map.of("createStatement", "return new NoopStatement(this);",
              "prepareStatement", "return new NoopStatement(this);",
              "prepareCall", "return new NoopStatement(this);",
              "getMetaData", "return new NoopMetaData(url);",
              "isValid", "return true;",
              "getAutoCommit", "return true;"));
      write(src, "NoopStatement", CallableStatement.class,
          "private final java.sql.Connection connection;\n"
              + "  public NoopStatement(java.sql.Connection connection) { this.connection = connection; }\n",
          Map.of("getConnection", "return connection;",
              "executeBatch", "return new int[0];",
              "executeLargeBatch", "return new long[0];"));
      write(src, "NoopMetaData", DatabaseMetaData.class,
          "private final String url;\n  public NoopMetaData(String url) { this.url = url; }\n",
          Map.of("getURL", "return url;",
              "getDatabaseProductName", "return \"noop\";",
              "getDriverName", "return \"noop\";",
              "getUserName", "return \"bench\";"));
      Path out = dir.resolve("classes");
      Files.createDirectories(out);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      if (javac == null) {
        throw new IllegalStateException("the no-op driver is compiled at run time: run on a JDK");
      }
      int rc = javac.run(null, null, null, "-nowarn", "-d", out.toString(),
          src.resolve("NoopConnection.java").toString(), src.resolve("NoopStatement.java").toString(),
          src.resolve("NoopMetaData.java").toString());
      if (rc != 0) {
        throw new IllegalStateException("could not compile the no-op driver in " + src);
      }
      return new URLClassLoader(new URL[] {out.toUri().toURL()}, NoopJdbcDriver.class.getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a class implementing every method of {@code api}; {@code bodies} by method name, else a default. */
  private static void write(Path dir, String name, Class<?> api, String members, Map<String, String> bodies)
      throws IOException {
    StringBuilder s = new StringBuilder("package " + PACKAGE + ";\n\n@SuppressWarnings(\"all\")\n");
    s.append("public final class ").append(name).append(" implements ").append(api.getName()).append(" {\n  ");
    s.append(members);
    Set<String> seen = new HashSet<>();
    for (Method m : api.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      StringBuilder params = new StringBuilder();
      StringBuilder signature = new StringBuilder(m.getName());
      Class<?>[] types = m.getParameterTypes();
      for (int i = 0; i < types.length; i++) {
        params.append(i == 0 ? "" : ", ").append(types[i].getCanonicalName()).append(" a").append(i);
        signature.append(',').append(types[i].getName());
      }
      if (!seen.add(signature.toString())) {
        continue;
      }
      s.append("  public ").append(m.getReturnType().getCanonicalName()).append(' ').append(m.getName())
          .append('(').append(params).append(')');
      Class<?>[] exceptions = m.getExceptionTypes();
      for (int i = 0; i < exceptions.length; i++) {
        s.append(i == 0 ? " throws " : ", ").append(exceptions[i].getCanonicalName());
      }
      String body = bodies.get(m.getName());
      s.append(" { ").append(body != null ? body : defaultReturn(m.getReturnType())).append(" }\n");
    }
    s.append("}\n");
    Files.write(dir.resolve(name + ".java"), s.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String defaultReturn(Class<?> type) {
    if (type == void.class) {
      return "";
    }
    if (type == boolean.class) {
      return "return false;";
    }
    if (type.isPrimitive()) {
      return "return (" + type.getName() + ") 0;";
    }
    return "return null;";
  }
}
