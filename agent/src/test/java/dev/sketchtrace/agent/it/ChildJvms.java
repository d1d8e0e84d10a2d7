package dev.sketchtrace.agent.it;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Class paths and JDKs for the child JVMs of the agent's end-to-end tests. */
final class ChildJvms {
  private ChildJvms() {}

  /**
   * A small application class path: the test classes and the public API jar only — not this test
   * JVM's class path, which holds the agent's own unshaded dependencies.
   */
  static String appClasspath(Path... extra) {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.endsWith("test-classes") || entry.contains("sketchtrace-api") || entry.endsWith("api/target/classes")) {
        entries.add(entry);
      }
    }
    for (Path p : extra) {
      entries.add(p.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The jars of test (a)'s clashing libraries, copied by the build into target/app-libs. */
  static Path[] clashingLibraries() throws java.io.IOException {
    Path dir = Paths.get(System.getProperty("sketchtrace.app.libs", "target/app-libs"));
    try (Stream<Path> jars = java.nio.file.Files.list(dir)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toArray(Path[]::new);
    }
  }
}
