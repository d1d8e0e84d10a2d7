package dev.sketchtrace.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.instrumentation.api.InstrumentationModule;
import dev.sketchtrace.instrumentation.api.TypeInstrumentation;
import dev.sketchtrace.instrumentation.httpclient.jdk.JavaHttpClientModule;
import dev.sketchtrace.instrumentation.httpclient.urlconnection.HttpUrlConnectionModule;
import dev.sketchtrace.instrumentation.jdbc.JdbcInstrumentationModule;
import dev.sketchtrace.instrumentation.servlet.ServletInstrumentationModule;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class DeclaredMethodFilterTest {
  private static final ClassLoader APP = DeclaredMethodFilterTest.class.getClassLoader();

  /** A driver's statement: declares advised methods. */
  abstract static class DriverStatement implements Statement {
    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
      return null;
    }

    @Override
    public void addBatch(String sql) {}
  }

  /** A pool's wrapper that overrides one advised method: must be advised itself. */
  abstract static class WrappingStatement extends DriverStatement {
    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
      return super.executeQuery(sql);
    }
  }

  /** Inherits every advised method (they are advised in DriverStatement): nothing to do here. */
  abstract static class InheritingStatement extends DriverStatement {
    abstract void somethingElse();
  }

  /** Mentions java.sql and calls executeQuery, and holds "execute" as a constant: declares none. */
  static final class Repository {
    static final String OPERATION = "execute";
    private final String table = "t";

    ResultSet find(Statement statement) throws SQLException {
      return statement.executeQuery("select * from " + table + OPERATION);
    }
  }

  abstract static class DriverConnection implements Connection {
    @Override
    public boolean isReadOnly() {
      return false;
    }

    @Override
    public void commit() {}
  }

  @Test
  void readsDeclaredMethodNamesNotConstants() throws IOException {
    ClassFileNames.NameTable names = new ClassFileNames.NameTable(
        List.of("execute", "executeQuery", "addBatch", "addBatch"), List.of(1L, 2L, 4L, 8L));
    assertThat(ClassFileNames.declaredMethods(bytes(DriverStatement.class), names, -1L))
        .as("a name listed twice has both owners").isEqualTo(2L | 4L | 8L);
    assertThat(ClassFileNames.declaredMethods(bytes(DriverStatement.class), names, 1L | 4L))
        .as("only the owners asked about").isEqualTo(4L);
    assertThat(ClassFileNames.declaredMethods(bytes(WrappingStatement.class), names, -1L)).isEqualTo(2L);
    assertThat(ClassFileNames.declaredMethods(bytes(Repository.class), names, -1L))
        .as("calls executeQuery and has an \"execute\" constant, declares neither").isZero();
    // Long and Double constants take two pool slots, and fields carry attributes: still aligned.
    assertThat(ClassFileNames.declaredMethods(bytes(Long.class),
        new ClassFileNames.NameTable(List.of("parseLong"), List.of(1L)), -1L)).isEqualTo(1L);
  }

  @Test
  void unreadableClassFileMeansMaybe() throws IOException {
    byte[] cut = java.util.Arrays.copyOf(bytes(DriverStatement.class), 60);
    assertThat(ClassFileNames.declaredMethods(cut, new ClassFileNames.NameTable(List.of("x"), List.of(1L)), -1L))
        .isEqualTo(-1L);
  }

  @Test
  void jdbcClassesPassOnlyWhenTheyDeclareAnAdvisedMethod() throws IOException {
    DeclaredMethodFilter jdbc = filterOf(new JdbcInstrumentationModule());
    assertThat(passes(jdbc, APP, DriverStatement.class)).isTrue();
    assertThat(passes(jdbc, APP, WrappingStatement.class)).isTrue();
    assertThat(passes(jdbc, APP, DriverConnection.class)).isTrue();
    assertThat(passes(jdbc, APP, InheritingStatement.class)).isFalse();
    assertThat(passes(jdbc, APP, Repository.class)).isFalse();
    assertThat(passes(jdbc, null, DriverStatement.class))
        .as("the JDK's own classes are never given to the JDBC instrumentation").isFalse();
  }

  @Test
  void servletClassesPassAndClassesThatOnlyMentionTheApiDoNot() {
    DeclaredMethodFilter servlet = filterOf(new ServletInstrumentationModule());
    // The gate needs the servlet API visible: a loader that defines the marker resource.
    ClassLoader web = new ClassLoader(APP) {
      @Override
      public java.net.URL getResource(String name) {
        return name.equals("jakarta/servlet/Servlet.class") ? APP.getResource("java/lang/Object.class") : null;
      }
    };
    assertThat(passes(servlet, web, aServlet())).isTrue();
    assertThat(passes(servlet, web, aFilter())).isTrue();
    assertThat(passes(servlet, web, aClassMentioningTheApi())).isFalse();
    assertThat(passes(servlet, APP, aServlet()))
        .as("the API is not visible to this loader: the library gate closes").isFalse();
  }

  @Test
  void jdkClassesPassOnlyForJdkTargetingInstrumentations() throws Exception {
    Class<?> urlConnection = jdk("sun.net.www.protocol.http.HttpURLConnection");
    assertThat(passes(filterOf(new HttpUrlConnectionModule()), null, urlConnection)).isTrue();
    assertThat(passes(filterOf(new JdbcInstrumentationModule()), null, urlConnection))
        .as("JDBC never looks at the JDK's own classes").isFalse();
    DeclaredMethodFilter jdkClient = filterOf(new JavaHttpClientModule());
    Class<?> request = jdk("jdk.internal.net.http.HttpRequestImpl");
    assertThat(passes(jdkClient, request.getClassLoader(), request)).as("advised constructor").isTrue();
    // Nearly every class declares a constructor: JDK-targeting instrumentations also test the name.
    assertThat(passes(jdkClient, null, ArrayList.class)).isFalse();
    assertThat(passes(jdkClient, APP, Repository.class)).isFalse();
  }

  /**
   * The promise the filter rests on, checked for every instrumentation the agent ships against
   * classes each one really advises: every method its advice selects is named in {@code
   * adviceMethodNames}, and the filter lets the class through.
   */
  @Test
  void everyAdvisedMethodIsListed() throws Exception {
    List<TypeDescription> samples = new ArrayList<>();
    List<byte[]> sampleBytes = new ArrayList<>();
    DynamicType.Unloaded<?> statement = aStatement();
    for (DynamicType.Unloaded<?> generated :
        List.of(aServlet(), aFilter(), statement, aWrapperOf(statement), aConnection())) {
      samples.add(generated.getTypeDescription());
      sampleBytes.add(generated.getBytes());
    }
    for (Class<?> type : List.of(jdk("sun.net.www.protocol.http.HttpURLConnection"),
        jdk("jdk.internal.net.http.HttpClientImpl"), jdk("jdk.internal.net.http.HttpRequestImpl"),
        jdk("jdk.internal.net.http.MultiExchange"))) {
      samples.add(TypeDescription.ForLoadedType.of(type));
      sampleBytes.add(bytes(type));
    }
    List<InstrumentationModule> modules = new ArrayList<>();
    ServiceLoader.load(InstrumentationModule.class, APP).forEach(modules::add);
    assertThat(modules).hasSizeGreaterThanOrEqualTo(8);
    int advised = 0;
    for (InstrumentationModule module : modules) {
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        assertThat(type.adviceMethodNames()).as(module.name() + " lists its advised methods").isNotEmpty();
        for (int i = 0; i < samples.size(); i++) {
          TypeDescription sample = samples.get(i);
          if (!type.typeMatcher().matches(sample)) {
            continue;
          }
          Set<String> selected = advisedMethodNames(type, sample);
          assertThat(type.adviceMethodNames()).as(module.name() + " on " + sample).containsAll(selected);
          if (!selected.isEmpty()) {
            advised++;
            assertThat(new DeclaredMethodFilter(List.of(type), List.of(new LibraryGate(List.of())))
                .mayAdvise(APP, sample.getInternalName(), sampleBytes.get(i))).as(sample.getName()).isTrue();
          }
        }
      }
    }
    assertThat(advised).as("(instrumentation, sample) pairs with advice").isEqualTo(9);
  }

  private static Set<String> advisedMethodNames(TypeInstrumentation type, TypeDescription sample) {
    List<ElementMatcher<? super MethodDescription>> matchers = new ArrayList<>();
    type.applyAdvice((methods, advice) -> matchers.add(methods));
    Set<String> names = new TreeSet<>();
    for (MethodDescription.InDefinedShape method : sample.getDeclaredMethods()) {
      for (ElementMatcher<? super MethodDescription> m : matchers) {
        if (m.matches(method)) {
          names.add(method.getInternalName());
        }
      }
    }
    return names;
  }

  private static DeclaredMethodFilter filterOf(InstrumentationModule... modules) {
    List<TypeInstrumentation> types = new ArrayList<>();
    List<LibraryGate> gates = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      LibraryGate gate = new LibraryGate(module.libraryMarkerClasses());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        types.add(type);
        gates.add(gate);
      }
    }
    return new DeclaredMethodFilter(types, gates);
  }

  // Servlet classes are generated against a generated servlet API: it is not on this class path.

  private static DynamicType.Unloaded<?> aServlet() {
    return new ByteBuddy().subclass(Object.class)
        .name("sample.web.HelloServlet")
        .implement(api("Servlet"))
        .defineMethod("service", void.class, Visibility.PUBLIC)
        .withParameters(api("ServletRequest"), api("ServletResponse"))
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  private static DynamicType.Unloaded<?> aFilter() {
    return new ByteBuddy().subclass(Object.class)
        .name("sample.web.AuditFilter")
        .implement(api("Filter"))
        .defineMethod("doFilter", void.class, Visibility.PUBLIC)
        .withParameters(api("ServletRequest"), api("ServletResponse"), api("FilterChain"))
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  /** Like thousands of framework classes: uses the servlet API, is no servlet entry point. */
  private static DynamicType.Unloaded<?> aClassMentioningTheApi() {
    return new ByteBuddy().subclass(Object.class)
        .name("sample.web.RequestAttributes")
        .defineMethod("handle", void.class, Visibility.PUBLIC)
        .withParameters(api("ServletRequest"))
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  private static TypeDescription api(String simpleName) {
    return new ByteBuddy().makeInterface().name("jakarta.servlet." + simpleName).make().getTypeDescription();
  }

  // JDBC classes are generated too: the JDBC matchers leave out dev.sketchtrace.* (the agent's own).

  private static DynamicType.Unloaded<?> aStatement() {
    return new ByteBuddy().subclass(Object.class)
        .name("sample.jdbc.DriverStatement")
        .implement(Statement.class)
        .defineMethod("executeQuery", ResultSet.class, Visibility.PUBLIC).withParameters(String.class)
        .intercept(StubMethod.INSTANCE)
        .defineMethod("executeUpdate", int.class, Visibility.PUBLIC)
        .intercept(StubMethod.INSTANCE)
        .defineMethod("clearBatch", void.class, Visibility.PUBLIC)
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  private static DynamicType.Unloaded<?> aWrapperOf(DynamicType.Unloaded<?> statement) {
    return new ByteBuddy().subclass(statement.getTypeDescription())
        .name("sample.jdbc.PoolStatement")
        .defineMethod("executeQuery", ResultSet.class, Visibility.PUBLIC).withParameters(String.class)
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  private static DynamicType.Unloaded<?> aConnection() {
    return new ByteBuddy().subclass(Object.class)
        .name("sample.jdbc.DriverConnection")
        .implement(Connection.class)
        .defineMethod("prepareStatement", java.sql.PreparedStatement.class, Visibility.PUBLIC)
        .withParameters(String.class)
        .intercept(StubMethod.INSTANCE)
        .defineMethod("isReadOnly", boolean.class, Visibility.PUBLIC)
        .intercept(StubMethod.INSTANCE)
        .defineMethod("rollback", void.class, Visibility.PUBLIC)
        .intercept(StubMethod.INSTANCE)
        .make();
  }

  private static Class<?> jdk(String name) throws ClassNotFoundException {
    return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
  }

  private static boolean passes(DeclaredMethodFilter filter, ClassLoader loader, Class<?> type)
      throws IOException {
    return filter.mayAdvise(loader, type.getName().replace('.', '/'), bytes(type));
  }

  private static boolean passes(DeclaredMethodFilter filter, ClassLoader loader, DynamicType.Unloaded<?> type) {
    return filter.mayAdvise(loader, type.getTypeDescription().getInternalName(), type.getBytes());
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
