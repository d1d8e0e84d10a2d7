package dev.sketchtrace.instrumentation.servlet.jersey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.bootstrap.CurrentSpan;
import dev.sketchtrace.bootstrap.EventQueue;
import dev.sketchtrace.bootstrap.HttpServerSpan;
import dev.sketchtrace.bootstrap.SpanEvent;
import dev.sketchtrace.instrumentation.servlet.HttpServerSpanMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.ResourceMethodInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jersey advice in a real Jersey 3.1 application handler, in process: Byte Buddy's agent,
 * attached to this test JVM, installs the advice with the module's own matchers (as the Sketchtrace
 * agent would, by name), and each request runs with a server span made current the way the servlet
 * advice makes it. The route the mapper then builds is checked.
 */
class JerseyResourceMethodAdviceTest {
  private static final JerseyResourceMethodInstrumentation INSTRUMENTATION =
      new JerseyResourceMethodInstrumentation();
  private static Instrumentation instrumentation;
  private static ResettableClassFileTransformer transformer;
  private static ApplicationHandler jersey;

  @Path("owners")
  public static final class Owners {
    @GET
    public String list() {
      return "owners";
    }

    @GET
    @Path("{id}")
    public String owner(@PathParam("id") String id) {
      return "owner " + id;
    }

    @GET
    @Path("/{id: [0-9]+}/pets/")
    public String pets(@PathParam("id") String id) {
      return "pets of " + id;
    }

    @Path("{id}/visits")
    public Visits visits() {
      return new Visits();
    }
  }

  /** Reached through the sub-resource locator {@link Owners#visits}. */
  public static final class Visits {
    @GET
    @Path("{visitId}")
    public String visit(@PathParam("visitId") String visitId) {
      return "visit " + visitId;
    }
  }

  @BeforeAll
  static void installAdviceAndStartJersey() {
    instrumentation = ByteBuddyAgent.install();
    transformer =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .type(INSTRUMENTATION.typeMatcher())
            .transform(
                new AgentBuilder.Transformer.ForAdvice()
                    .include(JerseyResourceMethodAdviceTest.class.getClassLoader())
                    .advice(
                        INSTRUMENTATION.dispatch(),
                        "dev.sketchtrace.instrumentation.servlet.jersey.JerseyResourceMethodAdvice"))
            .installOn(instrumentation);
    jersey = new ApplicationHandler(new ResourceConfig(Owners.class));
  }

  @AfterAll
  static void removeAdvice() {
    transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
  }

  @BeforeEach
  void freshQueue() {
    EventQueue.install(64);
  }

  @Test
  void onlyTheTypedApplyIsAdvisedNotItsBridge() {
    MethodList<MethodDescription.InDefinedShape> advised =
        TypeDescription.ForLoadedType.of(ResourceMethodInvoker.class)
            .getDeclaredMethods()
            .filter(INSTRUMENTATION.dispatch());
    assertThat(advised).hasSize(1);
    assertThat(advised.getOnly().isBridge()).isFalse();
    assertThat(INSTRUMENTATION.typeMatcher().matches(TypeDescription.ForLoadedType.of(ResourceMethodInvoker.class)))
        .isTrue();
  }

  @Test
  void classAndMethodTemplatesFollowTheBasePath() throws Exception {
    assertThat(routeOf("/shop/api/", "/shop/api/owners/42", "owner 42")).isEqualTo("/shop/api/owners/{id}");
  }

  @Test
  void aResourceMethodWithoutItsOwnPathIsNamedByTheClassTemplate() throws Exception {
    assertThat(routeOf("/api/", "/api/owners", "owners")).isEqualTo("/api/owners");
  }

  @Test
  void templatesAreKeptAsDeclaredWithoutDoubledSlashes() throws Exception {
    assertThat(routeOf("/api/", "/api/owners/7/pets", "pets of 7"))
        .isEqualTo("/api/owners/{id: [0-9]+}/pets");
  }

  @Test
  void subResourceLocatorTemplatesAreIncluded() throws Exception {
    assertThat(routeOf("/", "/owners/7/visits/3", "visit 3")).isEqualTo("/owners/{id}/visits/{visitId}");
  }

  @Test
  void withoutAServerSpanTheRequestIsServedAndNothingIsRecorded() throws Exception {
    assertThat(CurrentSpan.get()).isNull();
    assertThat(body(serve("/api/", "/api/owners/42"))).isEqualTo("owner 42");
  }

  @Test
  void anUnmatchedPathLeavesTheRouteToTheServletMapping() throws Exception {
    HttpServerSpan span = new HttpServerSpan(null, null);
    SpanEvent previous = CurrentSpan.attach(span);
    try {
      assertThat(serve("/api/", "/api/nothing").getStatus()).isEqualTo(404);
    } finally {
      CurrentSpan.restore(previous);
    }
    assertThat(span.routeTemplates()).isNull();
  }

  /** Serves {@code path} inside a current server span, as the servlet advice would. */
  private static String routeOf(String basePath, String path, String expectedBody) throws Exception {
    HttpServerSpan span = new HttpServerSpan(null, null);
    span.setMethod("GET");
    SpanEvent previous = CurrentSpan.attach(span);
    try {
      assertThat(body(serve(basePath, path))).isEqualTo(expectedBody);
    } finally {
      CurrentSpan.restore(previous);
    }
    return new HttpServerSpanMapper().spanName(span).substring("GET ".length());
  }

  private static ContainerResponse serve(String basePath, String path) throws Exception {
    ContainerRequest request =
        new ContainerRequest(
            URI.create("http://localhost:8080" + basePath),
            URI.create("http://localhost:8080" + path),
            "GET",
            (SecurityContext) null,
            new MapPropertiesDelegate(),
            jersey.getConfiguration());
    return jersey.apply(request).get();
  }

  private static String body(ContainerResponse response) {
    return String.valueOf(response.getEntity());
  }
}
