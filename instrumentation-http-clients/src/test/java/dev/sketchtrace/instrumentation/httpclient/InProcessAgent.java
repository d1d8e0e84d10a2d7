package dev.sketchtrace.instrumentation.httpclient;

import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.api.AdviceTarget;
import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs this module's advice into the test JVM the way the agent would (Byte Buddy inlining,
 * the advice found as bytes by name), without {@code -javaagent}: Byte Buddy attaches to its own
 * JVM. Works for library clients loaded by the application class loader, where the bootstrap
 * classes on the test class path are visible; the JDK clients need the real agent (integration
 * tests). Spans are read back from the {@link EventQueue}, as the folder would.
 */
final class InProcessAgent {
  static final List<Throwable> ERRORS = new CopyOnWriteArrayList<>();
  static final List<String> TRANSFORMED = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private InProcessAgent() {}

  static synchronized void install(InstrumentationModule... modules) {
    if (installed) {
      return;
    }
    installed = true;
    EventQueue.install(1024);
    Instrumentation instrumentation = ByteBuddyAgent.install();
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(new Listener());
    ClassLoader adviceLoader = InProcessAgent.class.getClassLoader();
    for (InstrumentationModule module : modules) {
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        List<AgentBuilder.Transformer.ForAdvice> advice = new ArrayList<>();
        type.applyAdvice(
            (AdviceTarget)
                (methods, adviceClassName) ->
                    advice.add(
                        new AgentBuilder.Transformer.ForAdvice()
                            .include(adviceLoader)
                            .advice(methods, adviceClassName)));
        AgentBuilder.Identified.Narrowable narrowable = builder.type(type.typeMatcher());
        AgentBuilder.Identified.Extendable extendable = null;
        for (AgentBuilder.Transformer.ForAdvice transformer : advice) {
          extendable = extendable == null ? narrowable.transform(transformer) : extendable.transform(transformer);
        }
        builder = extendable;
      }
    }
    builder.installOn(instrumentation);
  }

  /** Every HTTP-client span ended since the last call. */
  static List<HttpClientSpan> drainClientSpans() {
    List<HttpClientSpan> spans = new ArrayList<>();
    EventQueue.drain(
        (SpanEvent e) -> {
          if (e instanceof HttpClientSpan) {
            spans.add((HttpClientSpan) e);
          }
        },
        1024);
    return spans;
  }

  private static final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      TRANSFORMED.add(type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      ERRORS.add(new IllegalStateException("transforming " + typeName + ": " + error, error));
    }
  }
}
