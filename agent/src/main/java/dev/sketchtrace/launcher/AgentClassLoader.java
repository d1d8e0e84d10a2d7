package dev.sketchtrace.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent's own class loader: it defines the classes stored under {@code inst/} in the agent jar
 * as {@code .classdata} (agent code, instrumentation modules, relocated Byte Buddy, OpenTelemetry
 * SDK, Agrona), which no application class loader can see.
 *
 * <p>Its parent is the platform class loader, so {@code java.net.http} and {@code java.sql} resolve,
 * and so do the bootstrap classes once the agent has appended them to the bootstrap search path.
 * Resources are served from {@code inst/} too, a class's bytes included as {@code name.class}, so
 * Byte Buddy can read advice classes and {@link java.util.ServiceLoader} finds the modules.
 *
 * <p>Thread-safe: registered as parallel capable; the jar file is only read.
 */
final class AgentClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final String PREFIX = "inst/";

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  AgentClassLoader(JarFile jar) throws MalformedURLException {
    super(ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    URL jarLocation = new java.io.File(jar.getName()).toURI().toURL();
    this.jarUrl = "jar:" + jarLocation.toExternalForm() + "!/";
    this.protectionDomain =
        new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = readAll(in);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      String pkg = name.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // Another thread defined it first: fine.
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    List<URL> urls = new ArrayList<>(1);
    if (url != null) {
      urls.add(url);
    }
    return Collections.enumeration(urls);
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    // Read straight from the open jar: no URL connection, no jar-file cache of the JDK involved.
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
    }
    return super.getResourceAsStream(name);
  }

  private static String entryName(String name) {
    String path = name.startsWith("/") ? name.substring(1) : name;
    return path.endsWith(".class")
        ? PREFIX + path.substring(0, path.length() - ".class".length()) + ".classdata"
        : PREFIX + path;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
