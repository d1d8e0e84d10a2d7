package dev.sketchtrace.it.servlet;

import dev.sketchtrace.testing.AgentJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tomcat 9 (javax.servlet 4.0) on its own class path: {@code target/libs/tomcat9} plus the test
 * classes, without this JVM's jakarta libraries.
 */
class Tomcat9ServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(Tomcat9App.class.getName()).classpath(classpath());
  }

  @Override
  List<Case> cases() {
    return plainServletCases();
  }

  private static String classpath() {
    Path libs = Paths.get(System.getProperty("sketchtrace.libs.dir", "target/libs"), "tomcat9");
    Path testClasses = Paths.get(Tomcat9App.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    try (Stream<Path> jars = Files.list(libs)) {
      return Stream.concat(jars.filter(p -> p.toString().endsWith(".jar")), Stream.of(testClasses))
          .map(Path::toString)
          .collect(Collectors.joining(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException("Tomcat 9 jars missing in " + libs, e);
    }
  }
}
