package dev.sketchtrace.it.httpclient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM main: makes the same calls with one HTTP client library and prints what the app
 * observed, one line per scenario ({@code RESULT <scenario> <status> <body>} or {@code RESULT
 * <scenario> EXCEPTION <class>}), then {@code DONE}, and stays alive so that the agent can export.
 * Run with and without the agent, the printed lines must be identical.
 *
 * <p>Arguments: client name ({@code jdk}, {@code urlconnection}, {@code okhttp}, {@code apache4},
 * {@code apache5}), the recording server's base URL, and a base URL where nothing listens.
 */
public final class ClientScenarios {
  static final String APP_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String BODY = "payload-\u00fc-" + "x".repeat(100);

  /** One library's way of making the calls. */
  interface Client {
    String get(String url, String traceparent) throws Exception;

    String post(String url, String body) throws Exception;

    /** A GET whose response takes longer than the client's 500 ms read timeout. */
    String getWithTimeout(String url) throws Exception;

    /** The library's async API, or null when this client has none here. */
    default CompletableFuture<String> getAsync(String url) throws Exception {
      return null;
    }
  }

  public static void main(String[] args) throws Exception {
    Client client = client(args[0]);
    String base = args[1];
    String refused = args[2];
    run("get", () -> client.get(base + "/get?user=alice&token=secret", null));
    run("post", () -> client.post(base + "/echo", BODY));
    run("notfound", () -> client.get(base + "/status/404", null));
    run("servererror", () -> client.get(base + "/status/500", null));
    run("refused", () -> client.get(refused + "/refused", null));
    run("timeout", () -> client.getWithTimeout(base + "/slow"));
    run("appheader", () -> client.get(base + "/app-header", APP_TRACEPARENT));
    run("redirect", () -> client.get(base + "/redirect", null));
    CompletableFuture<String> async = client.getAsync(base + "/async");
    if (async != null) {
      run("async", () -> {
        try {
          return async.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw (Exception) e.getCause();
        }
      });
    }
    System.out.println("DONE");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private interface Call {
    String call() throws Exception;
  }

  private static void run(String scenario, Call call) {
    String outcome;
    try {
      outcome = call.call();
    } catch (Exception e) {
      outcome = "EXCEPTION " + e.getClass().getName();
    }
    System.out.println("RESULT " + scenario + " " + outcome);
  }

  static Client client(String name) {
    switch (name) {
      case "jdk":
        return new Jdk();
      case "urlconnection":
        return new UrlConnection();
      case "okhttp":
        return new OkHttp();
      case "apache4":
        return new Apache4();
      case "apache5":
        return new Apache5();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static String outcome(int status, String body) {
    return status + " " + body.length() + ":" + body.hashCode();
  }

  static final class Jdk implements Client {
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL).build();

    @Override
    public String get(String url, String traceparent) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-App", "mine");
      if (traceparent != null) {
        request.header("traceparent", traceparent);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return outcome(response.statusCode(), response.body()) + " requestHeaders=" + response.request().headers().map().keySet();
    }

    @Override
    public String post(String url, String body) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return outcome(response.statusCode(), response.body());
    }

    @Override
    public String getWithTimeout(String url) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(500)).build();
      return outcome(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), "");
    }

    @Override
    public CompletableFuture<String> getAsync(String url) {
      return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> outcome(r.statusCode(), r.body()));
    }
  }

  static final class UrlConnection implements Client {
    @Override
    public String get(String url, String traceparent) throws Exception {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      connection.setRequestProperty("X-App", "mine");
      if (traceparent != null) {
        connection.setRequestProperty("traceparent", traceparent);
      }
      return read(connection);
    }

    @Override
    public String post(String url, String body) throws Exception {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      return read(connection);
    }

    @Override
    public String getWithTimeout(String url) throws Exception {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      connection.setReadTimeout(500);
      return read(connection);
    }

    private static String read(HttpURLConnection connection) throws IOException {
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Read again, as apps do: still one request, one span.
      connection.getHeaderField("Content-Length");
      return outcome(connection.getResponseCode(), body);
    }
  }

  /** Uses only API present in both OkHttp 3.14 and 4.x, so the same class runs against either. */
  static final class OkHttp implements Client {
    private final okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @Override
    public String get(String url, String traceparent) throws Exception {
      okhttp3.Request.Builder request = new okhttp3.Request.Builder().url(url).header("X-App", "mine");
      if (traceparent != null) {
        request.header("traceparent", traceparent);
      }
      return execute(client, request.build());
    }

    @Override
    public String post(String url, String body) throws Exception {
      @SuppressWarnings("deprecation")
      okhttp3.RequestBody requestBody = okhttp3.RequestBody.create(okhttp3.MediaType.parse("text/plain; charset=utf-8"), body);
      return execute(client, new okhttp3.Request.Builder().url(url).post(requestBody).build());
    }

    @Override
    public String getWithTimeout(String url) throws Exception {
      okhttp3.OkHttpClient timing = client.newBuilder().readTimeout(500, TimeUnit.MILLISECONDS).build();
      return execute(timing, new okhttp3.Request.Builder().url(url).build());
    }

    @Override
    public CompletableFuture<String> getAsync(String url) {
      CompletableFuture<String> result = new CompletableFuture<>();
      client.newCall(new okhttp3.Request.Builder().url(url).build()).enqueue(new okhttp3.Callback() {
        @Override
        public void onFailure(okhttp3.Call call, IOException e) {
          result.completeExceptionally(e);
        }

        @Override
        public void onResponse(okhttp3.Call call, okhttp3.Response response) throws IOException {
          try (okhttp3.Response r = response) {
            result.complete(outcome(r.code(), r.body().string()));
          }
        }
      });
      return result;
    }

    private static String execute(okhttp3.OkHttpClient client, okhttp3.Request request) throws IOException {
      try (okhttp3.Response response = client.newCall(request).execute()) {
        return outcome(response.code(), response.body().string()) + " requestHeaders=" + response.request().headers().names();
      }
    }
  }

  static final class Apache4 implements Client {
    private final org.apache.http.impl.client.CloseableHttpClient client =
        org.apache.http.impl.client.HttpClients.custom().disableAutomaticRetries().build();

    @Override
    public String get(String url, String traceparent) throws Exception {
      org.apache.http.client.methods.HttpGet get = new org.apache.http.client.methods.HttpGet(url);
      get.setHeader("X-App", "mine");
      if (traceparent != null) {
        get.setHeader("traceparent", traceparent);
      }
      return execute(get) + " requestHeaders=" + java.util.Arrays.toString(get.getAllHeaders());
    }

    @Override
    public String post(String url, String body) throws Exception {
      org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
      post.setEntity(new org.apache.http.entity.StringEntity(body, StandardCharsets.UTF_8));
      return execute(post);
    }

    @Override
    public String getWithTimeout(String url) throws Exception {
      org.apache.http.client.methods.HttpGet get = new org.apache.http.client.methods.HttpGet(url);
      get.setConfig(org.apache.http.client.config.RequestConfig.custom().setSocketTimeout(500).build());
      return execute(get);
    }

    private String execute(org.apache.http.client.methods.HttpUriRequest request) throws IOException {
      try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(request)) {
        return outcome(response.getStatusLine().getStatusCode(),
            org.apache.http.util.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
      }
    }
  }

  static final class Apache5 implements Client {
    private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
        org.apache.hc.client5.http.impl.classic.HttpClients.custom().disableAutomaticRetries().build();

    @Override
    public String get(String url, String traceparent) throws Exception {
      org.apache.hc.client5.http.classic.methods.HttpGet get = new org.apache.hc.client5.http.classic.methods.HttpGet(url);
      get.setHeader("X-App", "mine");
      if (traceparent != null) {
        get.setHeader("traceparent", traceparent);
      }
      return execute(get) + " requestHeaders=" + java.util.Arrays.toString(get.getHeaders());
    }

    @Override
    public String post(String url, String body) throws Exception {
      org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
      post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body, StandardCharsets.UTF_8));
      return execute(post);
    }

    @Override
    public String getWithTimeout(String url) throws Exception {
      org.apache.hc.client5.http.classic.methods.HttpGet get = new org.apache.hc.client5.http.classic.methods.HttpGet(url);
      get.setConfig(org.apache.hc.client5.http.config.RequestConfig.custom()
          .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(500)).build());
      return execute(get);
    }

    @Override
    public CompletableFuture<String> getAsync(String url) {
      org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient async =
          org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
      async.start();
      CompletableFuture<String> result = new CompletableFuture<>();
      async.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build(),
          new org.apache.hc.core5.concurrent.FutureCallback<org.apache.hc.client5.http.async.methods.SimpleHttpResponse>() {
            @Override
            public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse response) {
              result.complete(outcome(response.getCode(), response.getBodyText()));
            }

            @Override
            public void failed(Exception e) {
              result.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
              result.cancel(false);
            }
          });
      return result;
    }

    private String execute(org.apache.hc.core5.http.ClassicHttpRequest request) throws IOException {
      return client.execute(request, response -> outcome(response.getCode(),
          org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }
  }
}
