package dev.sketchtrace.collector;

import java.util.Arrays;

/** The command line: {@code java -jar sketchtrace-collector.jar [--help] [options]}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(CollectorConfig.HELP);
      return;
    }
    CollectorConfig config;
    try {
      config = CollectorConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("sketchtrace-collector: " + e.getMessage());
      System.exit(2);
      return;
    }
    Collector collector;
    try {
      collector = Collector.start(config);
    } catch (Exception e) {
      // A port in use, a data directory locked by another collector or not writable: one line.
      System.err.println("sketchtrace-collector: cannot start: " + e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(collector::close, "sketchtrace-shutdown"));
    // One line a script or test can wait for: the bound ports.
    System.out.println("sketchtrace-collector ready otlp-http=" + collector.otlpHttpPort()
        + " otlp-grpc=" + collector.otlpGrpcPort() + " http=" + collector.httpPort()
        + " data-dir=" + config.dataDir.toAbsolutePath());
  }
}
