package dev.sketchtrace.instrumentation.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.servlet.ServerSpans;
import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of the service advice, the same for both servlet APIs: a subclass per API supplies
 * woven samples and the calls that need the API's types.
 */
abstract class ServiceAdviceContract {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  /** A caller that did not sample the trace: the default parent-based sampler follows it. */
  private static final String UNSAMPLED_TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-00";
  /** The request getters that only an exported span needs. */
  private static final String[] DETAIL_GETTERS = {
    "getServerName", "getServerPort", "getQueryString", "getProtocol", "getRemoteAddr"
  };

  abstract String api();

  /** A woven servlet that runs the request's {@link SampleBehavior}. */
  abstract Object servlet();

  /** A woven filter that runs the behaviour, then the chain. */
  abstract Object filter();

  abstract void service(Object servlet, Object request, Object response) throws Exception;

  /** Runs {@code filter} with a chain whose end is {@code servlet}. */
  abstract void doFilter(Object filter, Object servlet, Object request, Object response)
      throws Exception;

  abstract void onComplete(Object listener, Object asyncContext) throws Exception;

  abstract void onError(Object listener, Object asyncContext, Throwable error) throws Exception;

  @BeforeEach
  void freshQueue() {
    EventQueue.install(64);
    ServletSettings.configure(List.of(), List.of(), List.of());
  }

  @AfterEach
  void resetSettings() {
    ServletSettings.configure(List.of(), List.of(), List.of());
  }

  @Test
  void outermostCallMakesOneCurrentSpanWithTheRequestFactsAndEndsIt() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.query = "q=secret";
    exchange.header("User-Agent", "curl/8").header("X-Forwarded-For", "10.1.2.3");
    AtomicReference<SpanEvent> current = new AtomicReference<>();
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> current.set(CurrentSpan.get()));

    service(servlet(), exchange.request(), exchange.response());

    HttpServerSpan span = onlySpan();
    assertThat(current.get()).isSameAs(span);
    assertThat(CurrentSpan.get()).isNull();
    assertThat(span.isEnded()).isTrue();
    assertThat(span.method()).isEqualTo("GET");
    assertThat(span.path()).isEqualTo("/hello");
    assertThat(span.query()).isEqualTo("q=secret");
    assertThat(span.scheme()).isEqualTo("http");
    assertThat(span.serverAddress()).isEqualTo("localhost");
    assertThat(span.serverPort()).isEqualTo(8080);
    assertThat(span.userAgent()).isEqualTo("curl/8");
    assertThat(span.forwardedForHeader()).isEqualTo("10.1.2.3");
    assertThat(span.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(span.protocolVersion()).isEqualTo("HTTP/1.1");
    assertThat(span.statusCode()).isEqualTo(200);
    assertThat(span.route()).isEqualTo("/hello");
    assertThat(span.parentSpanId()).isZero();
  }

  @Test
  void incomingTraceparentIsContinued() throws Exception {
    FakeExchange exchange = new FakeExchange(api()).header("traceparent", TRACEPARENT);
    service(servlet(), exchange.request(), exchange.response());
    HttpServerSpan span = onlySpan();
    assertThat(span.parentSpanId()).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(span.isParentRemote()).isTrue();
    assertThat(Long.toHexString(span.traceIdHigh())).isEqualTo("4bf92f3577b34da6");
  }

  @Test
  void invalidTraceparentStartsANewTrace() throws Exception {
    FakeExchange exchange = new FakeExchange(api()).header("traceparent", "00-zz-nonsense-01");
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().parentSpanId()).isZero();
  }

  @Test
  void filterChainAndNestedDispatchYieldOneSpan() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    Object inner = servlet();
    List<SpanEvent> seen = new ArrayList<>();
    exchange.attributes.put(
        SampleBehavior.ATTRIBUTE,
        (SampleBehavior)
            (rq, rs) -> {
              seen.add(CurrentSpan.get());
              if (seen.size() == 2) { // inside the servlet: a forward to another servlet
                try {
                  service(inner, rq, rs);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            });

    doFilter(filter(), servlet(), exchange.request(), exchange.response());

    HttpServerSpan span = onlySpan();
    assertThat(seen).hasSize(3).containsOnly(span);
  }

  @Test
  void escapingExceptionIsRethrownUnchangedAndMakesA500() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    IllegalStateException boom = new IllegalStateException("boom");
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> { throw boom; });

    assertThatThrownBy(() -> service(servlet(), exchange.request(), exchange.response()))
        .isSameAs(boom);

    HttpServerSpan span = onlySpan();
    assertThat(span.statusCode()).isEqualTo(500);
    assertThat(span.exception()).isSameAs(boom);
    assertThat(CurrentSpan.get()).isNull();
  }

  @Test
  void exceptionAfterTheResponseWasCommittedKeepsTheSentStatus() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(
        SampleBehavior.ATTRIBUTE,
        (SampleBehavior)
            (rq, rs) -> {
              exchange.committed = true;
              throw new IllegalStateException("late");
            });
    assertThatThrownBy(() -> service(servlet(), exchange.request(), exchange.response()))
        .hasMessage("late");
    assertThat(onlySpan().statusCode()).isEqualTo(200);
  }

  @Test
  void statusAfterSendErrorIsRecorded() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> exchange.status = 503);
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().statusCode()).isEqualTo(503);
  }

  @Test
  void springPatternWinsOverTheServletMapping() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.mappingPattern = "/";
    exchange.uri = "/owners/42";
    exchange.attributes.put(
        SampleBehavior.ATTRIBUTE,
        (SampleBehavior)
            (rq, rs) -> exchange.attributes.put(ServerSpans.SPRING_PATTERN_ATTRIBUTE, "/owners/{id}"));
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().route()).isEqualTo("/owners/{id}");
  }

  @Test
  void defaultServletMappingIsNoRoute() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.mappingPattern = "/";
    exchange.uri = "/no/such/page";
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().route()).isNull();
  }

  @Test
  void excludedPathsGetNoSpanAndNoCurrentSpan() throws Exception {
    ServletSettings.configure(List.of("/health", "/actuator/*"), List.of(), List.of());
    AtomicReference<SpanEvent> current = new AtomicReference<>();
    for (String path : new String[] {"/app/health", "/app/actuator/info"}) {
      FakeExchange exchange = new FakeExchange(api());
      exchange.contextPath = "/app";
      exchange.uri = path;
      exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> current.set(CurrentSpan.get()));
      service(servlet(), exchange.request(), exchange.response());
      assertThat(current.get()).isNull();
      // A later dispatch of the same request (an error page at another path) stays excluded.
      exchange.dispatcherType = "ERROR";
      exchange.uri = "/app/error";
      service(servlet(), exchange.request(), exchange.response());
    }
    assertThat(drain()).isEmpty();

    FakeExchange kept = new FakeExchange(api());
    kept.contextPath = "/app";
    kept.uri = "/app/healthy";
    service(servlet(), kept.request(), kept.response());
    assertThat(drain()).hasSize(1);
  }

  @Test
  void configuredHeadersAreCaptured() throws Exception {
    ServletSettings.configure(List.of(), List.of("X-Request-Id"), List.of("Content-Type"));
    FakeExchange exchange = new FakeExchange(api()).header("X-Request-Id", "abc");
    exchange.responseHeaders.put("content-type", "text/plain");
    service(servlet(), exchange.request(), exchange.response());
    HttpServerSpan span = onlySpan();
    assertThat(span.requestHeaderValues()).containsExactly("abc");
    assertThat(span.responseHeaderValues()).containsExactly("text/plain");
  }

  @Test
  void headersAreNotCapturedByDefault() throws Exception {
    FakeExchange exchange = new FakeExchange(api()).header("X-Request-Id", "abc");
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().requestHeaderValues()).isNull();
  }

  @Test
  void asyncRequestEndsWhenTheListenerSeesCompletionOnAnotherThread() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> exchange.asyncStarted = true);

    service(servlet(), exchange.request(), exchange.response());

    assertThat(drain()).isEmpty();
    assertThat(exchange.listeners).hasSize(1);
    HttpServerSpan open = (HttpServerSpan) exchange.attributes.get(ServerSpans.REQUEST_ATTRIBUTE);
    assertThat(open.isEnded()).isFalse();

    exchange.status = 202;
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread completer =
        new Thread(
            () -> {
              try {
                onComplete(exchange.listeners.get(0), exchange.asyncContext());
              } catch (Exception e) {
                failure.set(e);
              }
            });
    completer.start();
    completer.join();

    assertThat(failure.get()).isNull();
    HttpServerSpan span = onlySpan();
    assertThat(span).isSameAs(open);
    assertThat(span.statusCode()).isEqualTo(202);
  }

  @Test
  void asyncResponseHeadersAreCapturedWhenTheRequestCompletes() throws Exception {
    ServletSettings.configure(List.of(), List.of(), List.of("Content-Type", "X-Done"));
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> exchange.asyncStarted = true);
    service(servlet(), exchange.request(), exchange.response());
    HttpServerSpan open = (HttpServerSpan) exchange.attributes.get(ServerSpans.REQUEST_ATTRIBUTE);
    assertThat(open.responseHeaderValues()).as("nothing read when the dispatch returns").isNull();

    // The async work writes its headers after the dispatch returned, on another thread.
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread completer =
        new Thread(
            () -> {
              exchange.responseHeaders.put("content-type", "application/json");
              exchange.responseHeaders.put("x-done", "yes");
              try {
                onComplete(exchange.listeners.get(0), exchange.asyncContext());
              } catch (Exception e) {
                failure.set(e);
              }
            });
    completer.start();
    completer.join();

    assertThat(failure.get()).isNull();
    assertThat(onlySpan().responseHeaderValues()).containsExactly("application/json", "yes");
  }

  @Test
  void asyncListenerReadsNoHeaderWhenNoneIsConfigured() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> exchange.asyncStarted = true);
    service(servlet(), exchange.request(), exchange.response());
    exchange.responseHeaders.put("content-type", "application/json");
    onComplete(exchange.listeners.get(0), exchange.asyncContext());
    assertThat(onlySpan().responseHeaderValues()).isNull();
  }

  @Test
  void asyncErrorIsRecordedAndALaterDispatchResumesTheSameSpan() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> exchange.asyncStarted = true);
    service(servlet(), exchange.request(), exchange.response());
    HttpServerSpan open = (HttpServerSpan) exchange.attributes.get(ServerSpans.REQUEST_ATTRIBUTE);
    IllegalStateException failure = new IllegalStateException("async failure");
    onError(exchange.listeners.get(0), exchange.asyncContext(), failure);

    // The container's error dispatch of the same request: no second span, the first one ends.
    exchange.dispatcherType = "ERROR";
    exchange.asyncStarted = false;
    exchange.status = 500;
    AtomicReference<SpanEvent> current = new AtomicReference<>();
    exchange.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> current.set(CurrentSpan.get()));
    service(servlet(), exchange.request(), exchange.response());
    onComplete(exchange.listeners.get(0), exchange.asyncContext());

    HttpServerSpan span = onlySpan();
    assertThat(span).isSameAs(open).isSameAs(current.get());
    assertThat(span.statusCode()).isEqualTo(500);
    assertThat(span.exception()).isSameAs(failure);
  }

  @Test
  void dispatchAfterTheSpanEndedStartsNoSecondSpan() throws Exception {
    for (int status : new int[] {404, 503}) {
      FakeExchange exchange = new FakeExchange(api());
      exchange.status = status;
      service(servlet(), exchange.request(), exchange.response());
      exchange.dispatcherType = "ERROR"; // the container's error page
      service(servlet(), exchange.request(), exchange.response());
      assertThat(drain()).hasSize(1);
    }
    FakeExchange failed = new FakeExchange(api());
    failed.attributes.put(
        SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> { throw new IllegalStateException(); });
    assertThatThrownBy(() -> service(servlet(), failed.request(), failed.response()));
    failed.attributes.remove(SampleBehavior.ATTRIBUTE);
    failed.dispatcherType = "ERROR";
    service(servlet(), failed.request(), failed.response());
    assertThat(drain()).hasSize(1);
  }

  @Test
  void successfulRequestNeitherLooksForNorStoresASpanInTheRequest() throws Exception {
    FakeExchange exchange = new FakeExchange(api());
    service(servlet(), exchange.request(), exchange.response());
    assertThat(onlySpan().statusCode()).isEqualTo(200);
    assertThat(exchange.requestCalls)
        .doesNotContain(
            "getAttribute(" + ServerSpans.REQUEST_ATTRIBUTE + ")",
            "setAttribute(" + ServerSpans.REQUEST_ATTRIBUTE + ")");
  }

  @Test
  void unsampledSuccessfulRequestReadsNoRequestDetails() throws Exception {
    FakeExchange exchange = new FakeExchange(api()).header("traceparent", UNSAMPLED_TRACEPARENT);
    exchange.query = "q=secret";
    exchange.header("User-Agent", "curl/8");
    ServletSettings.configure(List.of(), List.of("X-Request-Id"), List.of());
    exchange.header("X-Request-Id", "abc");

    service(servlet(), exchange.request(), exchange.response());

    HttpServerSpan span = onlySpan();
    assertThat(span.isHeadSampled()).isFalse();
    assertThat(exchange.requestCalls).doesNotContain(DETAIL_GETTERS);
    assertThat(span.hasRequestDetails()).isFalse();
    assertThat(span.userAgent()).isNull();
    assertThat(span.query()).isNull();
    assertThat(span.requestHeaderValues()).isNull();
    // What the metrics and the span's identity need is there.
    assertThat(span.method()).isEqualTo("GET");
    assertThat(span.scheme()).isEqualTo("http");
    assertThat(span.path()).isEqualTo("/hello");
    assertThat(span.route()).isEqualTo("/hello");
    assertThat(span.statusCode()).isEqualTo(200);
    assertThat(span.parentSpanId()).isEqualTo(0x00f067aa0ba902b7L);
  }

  @Test
  void unsampledFailedRequestReadsTheRequestDetails() throws Exception {
    FakeExchange errorStatus = new FakeExchange(api()).header("traceparent", UNSAMPLED_TRACEPARENT);
    errorStatus.header("User-Agent", "curl/8");
    errorStatus.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> errorStatus.status = 503);
    service(servlet(), errorStatus.request(), errorStatus.response());
    HttpServerSpan span = onlySpan();
    assertThat(span.isHeadSampled()).isFalse();
    assertThat(span.hasRequestDetails()).isTrue();
    assertThat(span.userAgent()).isEqualTo("curl/8");
    assertThat(span.serverAddress()).isEqualTo("localhost");

    FakeExchange thrown = new FakeExchange(api()).header("traceparent", UNSAMPLED_TRACEPARENT);
    thrown.query = "q=1";
    thrown.attributes.put(SampleBehavior.ATTRIBUTE, (SampleBehavior) (rq, rs) -> { throw new IllegalStateException(); });
    assertThatThrownBy(() -> service(servlet(), thrown.request(), thrown.response()));
    span = onlySpan();
    assertThat(span.statusCode()).isEqualTo(500);
    assertThat(span.query()).isEqualTo("q=1");
    assertThat(span.clientAddress()).isEqualTo("127.0.0.1");
  }

  HttpServerSpan onlySpan() {
    List<SpanEvent> events = drain();
    assertThat(events).hasSize(1);
    return (HttpServerSpan) events.get(0);
  }

  static List<SpanEvent> drain() {
    List<SpanEvent> events = new ArrayList<>();
    EventQueue.drain(events::add, 100);
    return events;
  }
}
