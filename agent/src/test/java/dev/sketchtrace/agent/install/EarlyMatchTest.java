package dev.sketchtrace.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

class EarlyMatchTest {
  /** Mentions java.sql only through a method descriptor. */
  abstract static class UsesSql {
    abstract Statement statement(Connection c);
  }

  static final class PlainWork {
    long sum(long a, double b) {
      return a + (long) b + "text".length();
    }
  }

  @Test
  void readsPackagesFromRealClassFiles() throws IOException {
    byte[][] sql = {"java/sql/".getBytes(StandardCharsets.US_ASCII)};
    assertTrue(ClassFileNames.mentionsAny(bytes(UsesSql.class), sql));
    assertFalse(ClassFileNames.mentionsAny(bytes(PlainWork.class), sql));
    assertTrue(ClassFileNames.mentionsAny(bytes(java.sql.DriverManager.class), sql));
    // Long and Double constants take two slots: the parser must stay aligned past them.
    assertFalse(ClassFileNames.mentionsAny(bytes(Long.class), sql));
    assertTrue(ClassFileNames.mentionsAny(bytes(Long.class),
        new byte[][] {"java/lang/Long".getBytes(StandardCharsets.US_ASCII)}));
  }

  @Test
  void truncatedClassFileMeansMaybe() throws IOException {
    byte[] whole = bytes(PlainWork.class);
    byte[] cut = java.util.Arrays.copyOf(whole, 40);
    assertTrue(ClassFileNames.mentionsAny(cut, new byte[][] {"x/".getBytes(StandardCharsets.US_ASCII)}));
  }

  @Test
  void applicationClassesByMarkerPackageJdkClassesByName() throws IOException {
    ClassLoader app = getClass().getClassLoader();
    EarlyMatch jdbc = new EarlyMatch(new LibraryGate(List.of("java.sql.Statement")),
        Collections.emptyList(), List.of("java.sql.Statement"));
    assertTrue(jdbc.mightMatch(app, false, null, bytes(UsesSql.class)));
    assertFalse(jdbc.mightMatch(app, false, null, bytes(PlainWork.class)));

    EarlyMatch jdkHttp = new EarlyMatch(new LibraryGate(List.of()),
        List.of(named("sun.net.www.protocol.http.HttpURLConnection")), List.of());
    assertTrue(jdkHttp.mightMatch(null, true, latent("sun.net.www.protocol.http.HttpURLConnection"), new byte[0]));
    assertFalse(jdkHttp.mightMatch(null, true, latent("java.util.ArrayList"), new byte[0]));
    assertFalse(jdkHttp.mightMatch(app, false, null, bytes(UsesSql.class)));

    EarlyMatch servlet = new EarlyMatch(new LibraryGate(List.of("jakarta.servlet.Servlet")),
        Collections.emptyList(), List.of("jakarta.servlet.Servlet"));
    assertFalse(servlet.mightMatch(app, false, null, bytes(UsesSql.class)), "no servlet API here");
  }

  private static TypeDescription latent(String name) {
    return new TypeDescription.Latent(name, 0, null, Collections.<TypeDescription.Generic>emptyList());
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : type.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
