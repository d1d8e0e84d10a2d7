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
 * Jersey 2.47 ({@code javax.ws.rs}) on Tomcat 9: JAX-RS templates as routes. Runs on {@code
 * target/libs/tomcat9} and {@code target/libs/jersey2} plus the test classes, without this JVM's
 * jakarta and Jersey 3 libraries.
 */
class Jersey2Tomcat9ServerSpanTest extends ServerSpanContract {
  @Override
  AgentJvm.Builder app() {
    return AgentJvm.builder(Jersey2Tomcat9App.class.getName()).classpath(classpath());
  }

  @Override
  List<Case> cases() {
    return JerseyCases.all();
  }

  private static String classpath() {
    Path libs = Paths.get(System.getProperty("sketchtrace.libs.dir", "target/libs"));
    Path testClasses =
        Paths.get(Jersey2Tomcat9App.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    return Stream.concat(
            Stream.of("tomcat9", "jersey2").flatMap(dir -> jars(libs.resolve(dir))),
            Stream.of(testClasses))
        .map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Stream<Path> jars(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".jar")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("jars missing in " + dir, e);
    }
  }
}
