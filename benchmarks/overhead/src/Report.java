import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the harness's results file (one line of {@code key=value} pairs per run) into markdown:
 * medians per agent over the repeated runs, then ratios against the run without an agent, then the
 * project's targets, each marked met or not. Usage: {@code java Report <results.tsv> <configs...>}.
 */
public final class Report {

  private record Column(String key, String title, String format) {}

  private static final List<Column> ABSOLUTE = List.of(
      new Column("jar_mb", "agent jar MB", "%.1f"),
      new Column("startup_ms", "startup to 1st request ms", "%.0f"),
      new Column("rps", "throughput req/s", "%.0f"),
      new Column("p50_ms", "p50 ms", "%.2f"),
      new Column("p99_ms", "p99 ms", "%.2f"),
      new Column("cpu_us_per_req", "CPU µs/req", "%.0f"),
      new Column("alloc_kb_per_req", "alloc KB/req", "%.1f"),
      new Column("heap_peak_mb", "peak heap MB", "%.0f"),
      new Column("heap_live_mb", "live heap after GC MB", "%.1f"),
      new Column("rss_peak_mb", "peak RSS MB", "%.0f"),
      new Column("threads", "threads", "%.0f"),
      new Column("export_requests", "export requests seen by sink", "%.0f"));

  public static void main(String[] args) throws IOException {
    List<Map<String, String>> runs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> run = new LinkedHashMap<>();
      for (String pair : line.split("\t")) {
        int eq = pair.indexOf('=');
        run.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      runs.add(run);
    }
    List<String> configs = List.of(args).subList(1, args.length);
    Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
    Map<String, Integer> runCounts = new LinkedHashMap<>();
    for (String config : configs) {
      List<Map<String, String>> mine = runs.stream().filter(r -> config.equals(r.get("config"))).toList();
      if (mine.isEmpty()) {
        continue;
      }
      runCounts.put(config, mine.size());
      Map<String, Double> m = new LinkedHashMap<>();
      for (Column c : ABSOLUTE) {
        m.put(c.key, median(mine.stream().filter(r -> r.containsKey(c.key))
            .map(r -> Double.parseDouble(r.get(c.key))).toList()));
      }
      medians.put(config, m);
    }

    StringBuilder md = new StringBuilder();
    md.append("Medians over the repeated runs of each agent (runs per agent: ")
        .append(runCounts).append(").\n\n");
    md.append("| agent |");
    ABSOLUTE.forEach(c -> md.append(' ').append(c.title).append(" |"));
    md.append("\n|---|");
    ABSOLUTE.forEach(c -> md.append("---:|"));
    md.append('\n');
    medians.forEach((config, m) -> {
      md.append("| ").append(config).append(" |");
      ABSOLUTE.forEach(c -> md.append(' ').append(fmt(c.format, m.get(c.key))).append(" |"));
      md.append('\n');
    });

    Map<String, Double> base = medians.get("none");
    if (base != null) {
      md.append("\nAgainst no agent (ratios of the medians; \"added\" = difference):\n\n");
      md.append("| agent | throughput | startup added ms | p50 | p99 | CPU/req | alloc added KB/req | peak heap | peak RSS |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      medians.forEach((config, m) -> {
        if (config.equals("none")) {
          return;
        }
        md.append("| ").append(config)
            .append(" | ").append(percent(m.get("rps") / base.get("rps") - 1))
            .append(" | ").append(fmt("%+.0f", m.get("startup_ms") - base.get("startup_ms")))
            .append(" | ").append(ratio(m, base, "p50_ms"))
            .append(" | ").append(ratio(m, base, "p99_ms"))
            .append(" | ").append(ratio(m, base, "cpu_us_per_req"))
            .append(" | ").append(fmt("%+.1f", m.get("alloc_kb_per_req") - base.get("alloc_kb_per_req")))
            .append(" | ").append(ratio(m, base, "heap_peak_mb"))
            .append(" | ").append(ratio(m, base, "rss_peak_mb"))
            .append(" |\n");
      });
      Map<String, Double> ours = medians.get("sketchtrace");
      Map<String, Double> otel = medians.get("otel");
      if (ours != null && otel != null) {
        double ourLoss = 1 - ours.get("rps") / base.get("rps");
        double otelLoss = 1 - otel.get("rps") / base.get("rps");
        double ourStartup = ours.get("startup_ms") - base.get("startup_ms");
        double ourAlloc = ours.get("alloc_kb_per_req") - base.get("alloc_kb_per_req");
        double otelAlloc = otel.get("alloc_kb_per_req") - base.get("alloc_kb_per_req");
        md.append("\nTargets (issue 9), judged on these medians:\n\n");
        md.append(target("throughput loss ≤ 3 %", percent(-ourLoss), ourLoss <= 0.03));
        md.append(target("throughput loss ≤ ½ of the OpenTelemetry agent's (" + percent(-otelLoss) + ")",
            percent(-ourLoss), ourLoss <= Math.max(0, otelLoss) / 2));
        md.append(target("startup added ≤ 200 ms", fmt("%+.0f ms", ourStartup), ourStartup <= 200));
        md.append(target("allocation added per request ≤ ¼ of the OpenTelemetry agent's ("
            + fmt("%+.1f KB", otelAlloc) + ")", fmt("%+.1f KB", ourAlloc), ourAlloc <= otelAlloc / 4));
      }
    }
    System.out.print(md);
  }

  private static String target(String what, String measured, boolean met) {
    if (measured.equals("–") || measured.contains("NaN")) {
      return "- " + what + ": not measured in this run\n";
    }
    return "- " + what + ": measured " + measured + " — " + (met ? "**met**" : "**not met**") + "\n";
  }

  private static String ratio(Map<String, Double> m, Map<String, Double> base, String key) {
    return fmt("%.2f×", m.get(key) / base.get(key));
  }

  private static String percent(double fraction) {
    return fmt("%+.1f %%", fraction * 100);
  }

  private static String fmt(String format, Double v) {
    return v == null || v.isNaN() || v.isInfinite() ? "–" : String.format(Locale.ROOT, format, v);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
