package dev.sketchtrace.instrumentation.httpclient;

import dev.sketchtrace.testing.RecordingServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.CustomSpan;
import dev.sketchtrace.bootstrap.HttpClientSpan;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.bootstrap.SpanKind;
import dev.sketchtrace.bootstrap.TraceParent;
import dev.sketchtrace.instrumentation.httpclient.apache4.ApacheHttpClient4Module;
import dev.sketchtrace.instrumentation.httpclient.apache5.ApacheHttpClient5Module;
import dev.sketchtrace.instrumentation.httpclient.okhttp.OkHttpModule;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library clients' advice, inlined in this JVM by {@link InProcessAgent}, against a local
 * recording server: one span per call, the right parent, {@code traceparent} received and equal to
 * the span, the app's own header kept, responses and exceptions unchanged.
 */
class LibraryClientAdviceTest {
  private static final String APP_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static RecordingServer server;

  /** The same few calls made with each library, without any knowledge of the agent. */
  interface Client {
    /** GETs {@code url} with the extra headers; returns status and body. */
    String[] get(String url, Map<String, String> headers) throws Exception;

    String[] post(String url, String body) throws Exception;
  }

  @BeforeAll
  static void start() throws IOException {
    InProcessAgent.install(new OkHttpModule(), new ApacheHttpClient4Module(), new ApacheHttpClient5Module());
    server = RecordingServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.clear();
    InProcessAgent.drainClientSpans();
    assertThat(InProcessAgent.ERRORS).isEmpty();
  }

  static Stream<Client> clients() {
    return Stream.of(new OkHttp4(), new Apache4(), new Apache5());
  }

  @ParameterizedTest
  @MethodSource("clients")
  void getUnderAParentSpanPropagatesTheClientSpan(Client client) throws Exception {
    CustomSpan parent = new CustomSpan(null, "parent", SpanKind.INTERNAL);
    SpanEvent previous = CurrentSpan.attach(parent);
    String[] response;
    try {
      response = client.get(server.url("/hello?q=1"), Map.of("X-App", "mine"));
    } finally {
      CurrentSpan.restore(previous);
    }

    assertThat(response).containsExactly("200", "ok");
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(span.traceIdLow()).isEqualTo(parent.traceIdLow());
    assertThat(span.parentSpanId()).isEqualTo(parent.spanId());
    assertThat(span.method()).isEqualTo("GET");
    assertThat(span.statusCode()).isEqualTo(200);
    assertThat(span.serverAddress()).isEqualTo("127.0.0.1");
    assertThat(span.serverPort()).isEqualTo(server.port());
    assertThat(String.valueOf(span.rawUrl())).isEqualTo(server.url("/hello?q=1"));
    assertThat(span.protocolVersion()).isNotNull();
    assertThat(span.resendCount()).isZero();
    RecordingServer.Received received = server.last();
    assertThat(received.headerValues("traceparent")).containsExactly(TraceParent.format(span));
    assertThat(received.header("X-App")).isEqualTo("mine");
    assertThat(CurrentSpan.get()).isNull();
  }

  @ParameterizedTest
  @MethodSource("clients")
  void theCallersTracestateIsPassedOnUnlessTheAppSetsOne(Client client) throws Exception {
    HttpServerSpan incoming = new HttpServerSpan(APP_TRACEPARENT, "vendor=abc,other=1");
    SpanEvent previous = CurrentSpan.attach(incoming);
    try {
      client.get(server.url("/state"), Map.of());
      client.get(server.url("/own-state"), Map.of("tracestate", "mine=1"));
    } finally {
      CurrentSpan.restore(previous);
    }
    List<HttpClientSpan> spans = InProcessAgent.drainClientSpans();
    assertThat(spans).hasSize(2);
    assertThat(spans).allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(incoming.spanId()));
    assertThat(server.received().get(0).headerValues("tracestate")).containsExactly("vendor=abc,other=1");
    assertThat(server.received().get(0).header("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-");
    assertThat(server.received().get(1).headerValues("tracestate")).containsExactly("mine=1");
  }

  @ParameterizedTest
  @MethodSource("clients")
  void withoutAParentTheCallStartsATrace(Client client) throws Exception {
    client.get(server.url("/x"), Map.of());
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(span.parentSpanId()).isZero();
    assertThat(server.last().header("traceparent")).isEqualTo(TraceParent.format(span));
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aTraceparentTheAppSetIsSentUnchanged(Client client) throws Exception {
    client.get(server.url("/x"), Map.of("traceparent", APP_TRACEPARENT));
    single(InProcessAgent.drainClientSpans());
    assertThat(server.last().headerValues("traceparent")).containsExactly(APP_TRACEPARENT);
  }

  @ParameterizedTest
  @MethodSource("clients")
  void errorStatusesReachTheAppAndTheSpan(Client client) throws Exception {
    assertThat(client.get(server.url("/status/404"), Map.of())[0]).isEqualTo("404");
    assertThat(client.get(server.url("/status/500"), Map.of())[0]).isEqualTo("500");
    List<HttpClientSpan> spans = InProcessAgent.drainClientSpans();
    assertThat(spans).extracting(HttpClientSpan::statusCode).containsExactly(404, 500);
    assertThat(spans).allSatisfy(s -> assertThat(s.exception()).isNull());
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aPostBodyIsSentIntact(Client client) throws Exception {
    assertThat(client.post(server.url("/echo"), "payload-ü")).containsExactly("200", "payload-ü");
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(span.method()).isEqualTo("POST");
    assertThat(server.last().body()).isEqualTo("payload-ü");
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aRedirectTheClientFollowsIsOneSpanWithAResendAndCarriesTheContextOnBothRequests(Client client)
      throws Exception {
    assertThat(client.get(server.url("/redirect"), Map.of())).containsExactly("200", "ok");
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(span.statusCode()).isEqualTo(200);
    assertThat(span.resendCount()).isEqualTo(1);
    assertThat(server.received()).extracting(RecordingServer.Received::path).containsExactly("/redirect", "/ok");
    assertThat(server.received())
        .allSatisfy(r -> assertThat(r.headerValues("traceparent")).containsExactly(TraceParent.format(span)));
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aRefusedConnectionThrowsAsBeforeAndEndsTheSpanWithIt(Client client) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Throwable thrown = catchThrowable(() -> client.get("http://127.0.0.1:" + closedPort + "/", Map.of()));

    assertThat(thrown).isInstanceOf(IOException.class);
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(span.exception()).isSameAs(thrown);
    assertThat(span.statusCode()).isZero();
    assertThat(HttpClientSpanMapper.INSTANCE.errorType(span)).isEqualTo(thrown.getClass().getName());
  }

  @Test
  void okHttpEnqueueParentsTheSpanOnTheCallersSpanAndEndsBeforeTheCallback() throws Exception {
    OkHttpClient client = new OkHttpClient();
    CustomSpan parent = new CustomSpan(null, "parent", SpanKind.INTERNAL);
    CompletableFuture<String> result = new CompletableFuture<>();
    SpanEvent previous = CurrentSpan.attach(parent);
    try {
      client.newCall(new Request.Builder().url(server.url("/async")).build())
          .enqueue(
              new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                  result.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) throws IOException {
                  try (response) {
                    result.complete(response.code() + " " + response.body().string()
                        + " " + response.request().header("traceparent"));
                  }
                }
              });
    } finally {
      CurrentSpan.restore(previous);
    }

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("200 ok null");
    HttpClientSpan span = awaitSingle();
    assertThat(span.parentSpanId()).isEqualTo(parent.spanId());
    assertThat(server.last().header("traceparent")).isEqualTo(TraceParent.format(span));
  }

  @Test
  void apache5AsyncParentsTheSpanAndEndsItWhenTheFutureCompletes() throws Exception {
    try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()) {
      client.start();
      CustomSpan parent = new CustomSpan(null, "parent", SpanKind.INTERNAL);
      java.util.concurrent.Future<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> future;
      SpanEvent previous = CurrentSpan.attach(parent);
      try {
        future = client.execute(
            org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(server.url("/async5?x=1"))
                .setHeader("X-App", "mine").build(),
            null);
      } finally {
        CurrentSpan.restore(previous);
      }
      org.apache.hc.client5.http.async.methods.SimpleHttpResponse response = future.get(10, TimeUnit.SECONDS);
      assertThat(response.getCode()).isEqualTo(200);
      assertThat(response.getBodyText()).isEqualTo("ok");

      HttpClientSpan span = awaitSingle();
      assertThat(span.parentSpanId()).isEqualTo(parent.spanId());
      assertThat(span.method()).isEqualTo("GET");
      assertThat(span.statusCode()).isEqualTo(200);
      assertThat(String.valueOf(span.rawUrl())).isEqualTo(server.url("/async5?x=1"));
      assertThat(server.last().header("traceparent")).isEqualTo(TraceParent.format(span));
      assertThat(server.last().header("X-App")).isEqualTo("mine");

      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      java.util.concurrent.Future<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> refused =
          client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder
              .get("http://127.0.0.1:" + closedPort + "/").build(), null);
      Throwable thrown = catchThrowable(() -> refused.get(10, TimeUnit.SECONDS));
      assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class);
      HttpClientSpan failed = awaitSingle();
      assertThat(failed.exception()).isSameAs(thrown.getCause());
    }
  }

  /** Async spans end on the client's thread, possibly just after the app saw the outcome. */
  private static HttpClientSpan awaitSingle() throws InterruptedException {
    List<HttpClientSpan> spans = new ArrayList<>();
    for (int i = 0; i < 500 && spans.isEmpty(); i++) {
      spans.addAll(InProcessAgent.drainClientSpans());
      if (spans.isEmpty()) {
        Thread.sleep(10);
      }
    }
    return single(spans);
  }

  @Test
  void okHttpNestedInAnotherClientCallYieldsOneSpan() throws Exception {
    // An interceptor that itself calls out over Apache 4 runs inside the OkHttp call: one span.
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  try {
                    new Apache4().get(server.url("/inner"), Map.of());
                  } catch (Exception e) {
                    throw new IOException(e);
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    try (Response response = client.newCall(new Request.Builder().url(server.url("/outer")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    HttpClientSpan span = single(InProcessAgent.drainClientSpans());
    assertThat(String.valueOf(span.rawUrl())).endsWith("/outer");
    assertThat(server.received()).extracting(RecordingServer.Received::path).containsExactly("/inner", "/outer");
    // The nested request still carries the one span's context.
    assertThat(server.received()).allSatisfy(r -> assertThat(r.header("traceparent")).isEqualTo(TraceParent.format(span)));
  }

  private static HttpClientSpan single(List<HttpClientSpan> spans) {
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  static final class OkHttp4 implements Client {
    private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @Override
    public String[] get(String url, Map<String, String> headers) throws IOException {
      Request.Builder request = new Request.Builder().url(url);
      headers.forEach(request::header);
      try (Response response = client.newCall(request.build()).execute()) {
        return new String[] {String.valueOf(response.code()), response.body().string()};
      }
    }

    @Override
    public String[] post(String url, String body) throws IOException {
      Request request = new Request.Builder().url(url)
          .post(RequestBody.create(body, MediaType.get("text/plain; charset=utf-8"))).build();
      try (Response response = client.newCall(request).execute()) {
        return new String[] {String.valueOf(response.code()), response.body().string()};
      }
    }

    @Override
    public String toString() {
      return "OkHttp 4";
    }
  }

  static final class Apache4 implements Client {
    private final org.apache.http.impl.client.CloseableHttpClient client =
        org.apache.http.impl.client.HttpClients.custom().disableAutomaticRetries().build();

    @Override
    public String[] get(String url, Map<String, String> headers) throws IOException {
      org.apache.http.client.methods.HttpGet get = new org.apache.http.client.methods.HttpGet(url);
      headers.forEach(get::setHeader);
      try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(get)) {
        return new String[] {
          String.valueOf(response.getStatusLine().getStatusCode()),
          org.apache.http.util.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)
        };
      }
    }

    @Override
    public String[] post(String url, String body) throws IOException {
      org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
      post.setEntity(new org.apache.http.entity.StringEntity(body, StandardCharsets.UTF_8));
      try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(post)) {
        return new String[] {
          String.valueOf(response.getStatusLine().getStatusCode()),
          org.apache.http.util.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)
        };
      }
    }

    @Override
    public String toString() {
      return "Apache HttpClient 4";
    }
  }

  static final class Apache5 implements Client {
    private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
        org.apache.hc.client5.http.impl.classic.HttpClients.custom().disableAutomaticRetries().build();

    @Override
    public String[] get(String url, Map<String, String> headers) throws IOException {
      org.apache.hc.client5.http.classic.methods.HttpGet get = new org.apache.hc.client5.http.classic.methods.HttpGet(url);
      headers.forEach(get::setHeader);
      return client.execute(get, response -> new String[] {
          String.valueOf(response.getCode()),
          org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)
      });
    }

    @Override
    public String[] post(String url, String body) throws IOException {
      org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
      post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body, StandardCharsets.UTF_8));
      return client.execute(post, response -> new String[] {
          String.valueOf(response.getCode()),
          org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)
      });
    }

    @Override
    public String toString() {
      return "Apache HttpClient 5";
    }
  }
}
