package dev.sketchtrace.instrumentation.servlet;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One fake HTTP exchange whose request, response, mapping and async context are proxies of any
 * servlet API's interfaces (dispatching on method names, which javax and jakarta share), so one
 * fake serves both advice families. Not thread-safe beyond what the tests need.
 */
final class FakeExchange {
  final Map<String, Object> attributes = new HashMap<>();
  final Map<String, String> headers = new HashMap<>();
  final Map<String, String> responseHeaders = new HashMap<>();
  final List<Object> listeners = new ArrayList<>();
  /**
   * The request methods called, in order (what the advice asked the container); attribute access
   * with the attribute's name, e.g. {@code getAttribute(name)}.
   */
  final List<String> requestCalls = new ArrayList<>();
  String method = "GET";
  String uri = "/hello";
  String query;
  String contextPath = "";
  String mappingPattern = "/hello";
  /** The name of the current dispatch's {@code DispatcherType}: REQUEST first, ASYNC or ERROR later. */
  String dispatcherType = "REQUEST";
  volatile int status = 200;
  boolean committed;
  boolean asyncStarted;
  private final ClassLoader loader;
  private final String api;

  /** @param api {@code javax.servlet} or {@code jakarta.servlet} */
  FakeExchange(String api) {
    this.api = api;
    this.loader = getClass().getClassLoader();
  }

  FakeExchange header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  Object request() {
    return proxy(
        api + ".http.HttpServletRequest",
        (name, args) -> {
          requestCalls.add(name.endsWith("Attribute") ? name + "(" + args[0] + ")" : name);
          switch (name) {
            case "getAttribute":
              return attributes.get((String) args[0]);
            case "setAttribute":
              attributes.put((String) args[0], args[1]);
              return null;
            case "removeAttribute":
              attributes.remove((String) args[0]);
              return null;
            case "getHeader":
              return headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
            case "getMethod":
              return method;
            case "getRequestURI":
              return uri;
            case "getQueryString":
              return query;
            case "getContextPath":
              return contextPath;
            case "getScheme":
              return "http";
            case "getServerName":
              return "localhost";
            case "getServerPort":
              return 8080;
            case "getProtocol":
              return "HTTP/1.1";
            case "getRemoteAddr":
              return "127.0.0.1";
            case "isAsyncStarted":
              return asyncStarted;
            case "getDispatcherType":
              return dispatcherType();
            case "getAsyncContext":
              return asyncContext();
            case "getHttpServletMapping":
              return mapping();
            default:
              throw new UnsupportedOperationException(name);
          }
        });
  }

  Object response() {
    return proxy(
        api + ".http.HttpServletResponse",
        (name, args) -> {
          switch (name) {
            case "getStatus":
              return status;
            case "setStatus":
              status = (Integer) args[0];
              return null;
            case "sendError":
              status = (Integer) args[0];
              committed = true;
              return null;
            case "isCommitted":
              return committed;
            case "getHeader":
              return responseHeaders.get(((String) args[0]).toLowerCase(Locale.ROOT));
            default:
              throw new UnsupportedOperationException(name);
          }
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object dispatcherType() {
    try {
      return Enum.valueOf((Class) Class.forName(api + ".DispatcherType", false, loader), dispatcherType);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object mapping() {
    return proxy(
        api + ".http.HttpServletMapping",
        (name, args) -> {
          if (name.equals("getPattern")) {
            return mappingPattern;
          }
          throw new UnsupportedOperationException(name);
        });
  }

  Object asyncContext() {
    return proxy(
        api + ".AsyncContext",
        (name, args) -> {
          if (name.equals("addListener")) {
            listeners.add(args[0]);
            return null;
          }
          if (name.equals("getRequest")) {
            return request();
          }
          if (name.equals("getResponse")) {
            return response();
          }
          throw new UnsupportedOperationException(name);
        });
  }

  interface Handler {
    Object handle(String method, Object[] args);
  }

  private Object proxy(String interfaceName, Handler handler) {
    try {
      Class<?> type = Class.forName(interfaceName, false, loader);
      return Proxy.newProxyInstance(
          loader,
          new Class<?>[] {type},
          (p, m, args) -> {
            switch (m.getName()) {
              case "hashCode":
                return System.identityHashCode(p);
              case "equals":
                return p == args[0];
              case "toString":
                return interfaceName;
              default:
                return handler.handle(m.getName(), args == null ? new Object[0] : args);
            }
          });
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
