package dev.sketchtrace.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Without the agent the API is a no-op: nothing throws, nothing is recorded. (With the agent it is
 * tested in a real JVM by the agent module's EventPathIT: spans, parent/child, errors.)
 */
class TracingWithoutAgentTest {
  @Test
  void everyCallIsANoOpWithoutTheAgent() {
    assertThat(Tracing.isAgentActive()).isFalse();
    Span span = Tracing.startSpan("work", SpanKind.CLIENT);
    try (Scope scope = span.makeCurrent()) {
      span.setAttribute("k", "v").setAttribute("n", 1L).setAttribute("b", true)
          .recordException(new IllegalStateException()).setError("timeout");
    }
    span.end();
    span.close();
    assertThat(span.traceId()).isEqualTo("00000000000000000000000000000000");
    assertThat(span.spanId()).isEqualTo("0000000000000000");
    assertThat(Tracing.startSpan(null)).isSameAs(Tracing.startSpan("other"));
  }

  @Test
  void bootstrapClassesOnTheApplicationClassPathDoNotActivateIt() throws Exception {
    // The bootstrap jar may be on an application's class path without the agent; only the
    // bootstrap class loader counts, so nothing is recorded into a queue nobody drains.
    assertThat(Class.forName("dev.sketchtrace.bootstrap.CustomSpan")).isNotNull();
    assertThat(Tracing.isAgentActive()).isFalse();
  }
}
