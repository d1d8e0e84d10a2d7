package dev.sketchtrace.agent;

import dev.sketchtrace.agent.config.Config;
import dev.sketchtrace.agent.export.ExportLoop;
import dev.sketchtrace.agent.export.ExportSettings;
import dev.sketchtrace.agent.export.ResourceFactory;
import dev.sketchtrace.agent.fold.AgentCounters;
import dev.sketchtrace.agent.fold.CustomSpanMapper;
import dev.sketchtrace.agent.fold.EpochClock;
import dev.sketchtrace.agent.fold.FoldSettings;
import dev.sketchtrace.agent.fold.Folder;
import dev.sketchtrace.agent.install.Installer;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HeadSampler;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.SpanMapper;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The agent's wiring. In {@code premain} it does the least: configure the queue and the sampler,
 * find the instrumentation modules and register the transformer that holds back the classes they
 * might instrument ({@link Installer#prepare}), print the banner. Byte Buddy's installation, then
 * the folder thread and the exporter start on a background thread, so the application's startup
 * waits neither for Byte Buddy nor for the OpenTelemetry SDK to load
 * ({@code sketchtrace.startup.background-install=false} installs Byte Buddy in {@code premain}).
 */
final class Agent {
  private Agent() {}

  static void start(Instrumentation instrumentation, File agentJar, Config config)
      throws Exception {
    // Byte Buddy's safe mode: no sun.misc.Unsafe (JDK 24+ prints warnings into the app's stderr),
    // which inlined advice does not need. The name is relocated with Byte Buddy, so it only
    // reaches the agent's own copy.
    System.setProperty("net.bytebuddy.safe", "true");
    long began = System.nanoTime();
    AgentSettings settings = AgentSettings.from(config);
    EventQueue.install(settings.queueCapacity);
    HeadSampler.configure(settings.samplerRatio, settings.samplerParentBased,
        settings.maxTracesPerSecond);

    List<InstrumentationModule> modules = new ArrayList<>();
    List<SpanMapper<?>> mappers = new ArrayList<>();
    mappers.add(new CustomSpanMapper());
    List<String> disabled = new ArrayList<>();
    for (InstrumentationModule module :
        ServiceLoader.load(InstrumentationModule.class, Agent.class.getClassLoader())) {
      if (!config.instrumentationEnabled(module.name())) {
        disabled.add(module.name());
        continue;
      }
      try {
        module.configure(config);
        mappers.addAll(module.spanMappers());
        modules.add(module);
      } catch (Throwable t) {
        AgentLog.warn("instrumentation " + module.name() + " not configured: " + t);
      }
    }
    long modulesLoaded = System.nanoTime();
    Installer installer = new Installer(instrumentation, Agent.class.getClassLoader(), agentJar);
    List<String> installed = installer.prepare(modules, settings.shutdownTimeout.toMillis());
    if (!settings.backgroundInstall) {
      installer.install();
    }
    AgentLog.debug("premain: modules loaded in " + (modulesLoaded - began) / 1_000_000 + " ms,"
        + (settings.backgroundInstall ? " prepared in " : " installed in ")
        + (System.nanoTime() - modulesLoaded) / 1_000_000 + " ms");

    AgentLog.info(
        "Sketchtrace " + AgentVersion.VERSION
            + " | config: " + config.sourceDescription()
            + " | instrumentations: " + (installed.isEmpty() ? "none" : String.join(",", installed))
            + (disabled.isEmpty() ? "" : " (disabled: " + String.join(",", disabled) + ")")
            + " | export: " + settings.export.describe()
            + " every " + settings.fold.exportIntervalDescription());

    Pipeline pipeline = new Pipeline();
    Thread starter =
        new Thread(() -> {
          if (settings.backgroundInstall) {
            installer.install();
          }
          startPipeline(config, settings, mappers, pipeline, installer);
        }, "sketchtrace-start");
    starter.setDaemon(true);
    starter.start();
    // Registered now, not by the starter: a short-lived main may end before the pipeline is up,
    // and its events must still be folded and exported.
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> pipeline.shutdown(starter, settings.shutdownTimeout), "sketchtrace-shutdown"));
  }

  /** What the starter thread built; read by the shutdown hook. Thread-safe (volatile fields). */
  private static final class Pipeline {
    volatile AgentRunner runner;
    volatile ExportLoop exportLoop;

    void shutdown(Thread starter, Duration timeout) {
      try {
        if (runner == null && EventQueue.offeredCount() == 0 && EventQueue.droppedCount() == 0) {
          return; // nothing was measured: a short-lived JVM must not wait for the pipeline to start
        }
        starter.interrupt(); // ends a configured start delay
        starter.join(timeout.toMillis());
        AgentRunner r = runner;
        if (r != null) {
          r.close(); // the folder drains the queue and hands over a last window
          exportLoop.flush(timeout);
        }
      } catch (Throwable t) {
        AgentLog.debug("shutdown flush failed", t);
      }
    }
  }

  private static void startPipeline(
      Config config,
      AgentSettings settings,
      List<SpanMapper<?>> mappers,
      Pipeline pipeline,
      Installer installer) {
    try {
      if (!settings.pipelineStartDelay.isZero()) {
        try {
          Thread.sleep(settings.pipelineStartDelay.toMillis());
        } catch (InterruptedException e) {
          // Shutting down during the delay: start at once so the queued events are exported.
        }
      }
      EpochClock clock = new EpochClock();
      Resource resource = ResourceFactory.create(config);
      InstrumentationScopeInfo scope =
          InstrumentationScopeInfo.builder("dev.sketchtrace").setVersion(AgentVersion.VERSION).build();
      AgentCounters counters = new AgentCounters();
      ExportLoop exportLoop = new ExportLoop(settings.export.toExportSettings(), resource, counters);
      long windowMillis = settings.fold.exportInterval.toMillis();
      Folder folder =
          new Folder(settings.fold.toFoldSettings(), mappers, clock, resource, scope, counters,
              batch -> {
                // Once per window, on the folder thread: matching caches of an app that stopped
                // loading classes are dropped.
                installer.clearIdleTypeCaches(windowMillis);
                exportLoop.offer(batch);
              });
      AgentRunner runner =
          new AgentRunner(
              // No spinning, no yielding: park at once, 1 ms and backing off to 20 ms while idle.
              // The folder shares the application's cores; waking per event (spin/yield, µs
              // parks) cost the host context switches at every request. 1 ms batches ~100 events
              // at 100k/s, far below the queue's capacity; an idle app wakes it 50 times a second.
              new BackoffIdleStrategy(0, 0, 1_000_000, 20_000_000),
              t -> AgentLog.once("folder:" + t.getClass().getName(), "folder error: " + t),
              null,
              folder);
      Thread exportThread = new Thread(exportLoop, "sketchtrace-export");
      exportThread.setDaemon(true);
      exportThread.start();
      Thread folderThread = AgentRunner.startOnThread(runner, r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      });
      pipeline.exportLoop = exportLoop;
      pipeline.runner = runner;
      AgentLog.debug("folder " + folderThread.getName() + " and exporter started");
    } catch (Throwable t) {
      AgentLog.warn("telemetry pipeline not started (instrumentation stays, events are dropped): " + t);
    }
  }
}
