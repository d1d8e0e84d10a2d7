import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One measurement window on a running app: attaches to it (Attach API, local JMX), reads its CPU
 * time from /proc and its total allocated bytes from the thread MXBean, runs {@code wrk} for the
 * window, reads both again, then peak heap (sum of the heap pools' peaks), live heap after a full
 * GC, peak RSS (VmHWM) and thread count. Prints one line of {@code key=value} pairs.
 *
 * <p>Usage: {@code java Measure <pid> <url> <wrk threads> <connections> <seconds>}.
 * The JMX calls happen only at the edges of the window, never inside it.
 */
public final class Measure {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ; `getconf CLK_TCK`

  public static void main(String[] args) throws Exception {
    String pid = args[0];
    String url = args[1];
    String threads = args[2];
    String connections = args[3];
    String seconds = args[4];

    VirtualMachine vm = VirtualMachine.attach(pid);
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection mbs = connector.getMBeanServerConnection();
      com.sun.management.ThreadMXBean threadBean = ManagementFactory.newPlatformMXBeanProxy(
          mbs, ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);

      long allocBefore = threadBean.getTotalThreadAllocatedBytes();
      long cpuBefore = cpuTicks(pid);
      String wrk = runWrk(threads, connections, seconds, url);
      long cpuAfter = cpuTicks(pid);
      long allocAfter = threadBean.getTotalThreadAllocatedBytes();

      Map<String, String> out = new LinkedHashMap<>();
      WrkResult r = WrkResult.parse(wrk);
      out.put("requests", Long.toString(r.requests));
      out.put("errors", Long.toString(r.errors));
      out.put("rps", fmt(r.requestsPerSecond));
      out.put("p50_ms", fmt(r.p50Millis));
      out.put("p99_ms", fmt(r.p99Millis));
      double perRequest = Math.max(1, r.requests);
      out.put("cpu_us_per_req", fmt((cpuAfter - cpuBefore) * 1_000_000.0 / CLOCK_TICKS_PER_SECOND / perRequest));
      out.put("alloc_kb_per_req", fmt((allocAfter - allocBefore) / 1024.0 / perRequest));
      out.put("heap_peak_mb", fmt(heapPeakBytes(mbs) / 1048576.0));
      MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(
          mbs, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
      memory.gc();
      out.put("heap_live_mb", fmt(memory.getHeapMemoryUsage().getUsed() / 1048576.0));
      out.put("rss_peak_mb", fmt(statusKb(pid, "VmHWM") / 1024.0));
      out.put("threads", Integer.toString(threadBean.getThreadCount()));
      StringBuilder line = new StringBuilder();
      out.forEach((k, v) -> line.append(line.length() == 0 ? "" : "\t").append(k).append('=').append(v));
      System.out.println(line);
    }
  }

  private static String runWrk(String threads, String connections, String seconds, String url)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder("wrk", "-t", threads, "-c", connections, "-d", seconds + "s",
        "--latency", url).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    return output;
  }

  /** utime + stime of the whole process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
  private static long cpuTicks(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long statusKb(String pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long heapPeakBytes(MBeanServerConnection mbs) throws IOException {
    long sum = 0;
    List<MemoryPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(mbs, MemoryPoolMXBean.class);
    for (MemoryPoolMXBean pool : pools) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** The few numbers read from wrk's text output. */
  static final class WrkResult {
    long requests;
    long errors;
    double requestsPerSecond;
    double p50Millis;
    double p99Millis;

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)");

    static WrkResult parse(String text) {
      WrkResult r = new WrkResult();
      Matcher m = REQUESTS.matcher(text);
      if (!m.find()) {
        throw new IllegalStateException("unexpected wrk output:\n" + text);
      }
      r.requests = Long.parseLong(m.group(1));
      m = RPS.matcher(text);
      r.requestsPerSecond = m.find() ? Double.parseDouble(m.group(1)) : 0;
      m = NON_2XX.matcher(text);
      r.errors = m.find() ? Long.parseLong(m.group(1)) : 0;
      m = SOCKET_ERRORS.matcher(text);
      if (m.find()) {
        for (int g = 1; g <= 4; g++) {
          r.errors += Long.parseLong(m.group(g));
        }
      }
      m = PERCENTILE.matcher(text);
      while (m.find()) {
        double v = Double.parseDouble(m.group(2));
        double millis = switch (m.group(3)) {
          case "us" -> v / 1000;
          case "s" -> v * 1000;
          default -> v;
        };
        if (m.group(1).equals("50")) {
          r.p50Millis = millis;
        } else {
          r.p99Millis = millis;
        }
      }
      return r;
    }
  }
}
