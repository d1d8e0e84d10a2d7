package dev.sketchtrace.agent.install;

import dev.sketchtrace.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.description.type.TypeDescription;

/**
 * The one class file transformer the agent registers with the JVM, in {@code premain}, so that Byte
 * Buddy itself can be built and installed on a background thread without the application's startup
 * waiting for it.
 *
 * <p>A class that declares no method an instrumentation advises ({@link DeclaredMethodFilter}) is
 * left alone at once, before and after installation. Once Byte Buddy's transformer exists ({@link
 * #delegateTo}), every other class is handed to it. Until then such a class either
 * <ul>
 *   <li>might be transformed ({@link EarlyMatch}): its loading thread waits until Byte Buddy is
 *       installed (bounded by {@code maxWait}) and then has it transformed, so no call of an
 *       instrumented class escapes; or
 *   <li>cannot be: it loads unchanged at once, and its name is remembered so the installer can make
 *       sure Byte Buddy's retransformation of loaded classes has seen it.
 * </ul>
 * The installing thread and re-entrant loads (class loading triggered by this decision) never wait.
 *
 * <p>Thread-safe: the delegate is published through a volatile field and the latch.
 */
final class DeferredTransformer implements ClassFileTransformer {
  private final ClassLoader agentLoader;
  private final DeclaredMethodFilter methodFilter;
  private final List<EarlyMatch> earlyMatches;
  private final long maxWaitNanos;
  private final CountDownLatch installed = new CountDownLatch(1);
  private final PassedClasses passed = new PassedClasses();
  // An anonymous class, not a lambda: this is created in premain, where the first lambda of the JVM
  // would pay for bootstrapping the lambda machinery.
  private final ThreadLocal<boolean[]> deciding =
      new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
          return new boolean[1];
        }
      };
  private volatile ClassFileTransformer delegate;
  private volatile Thread installer;

  DeferredTransformer(ClassLoader agentLoader, DeclaredMethodFilter methodFilter,
      List<EarlyMatch> earlyMatches, long maxWaitNanos) {
    this.agentLoader = agentLoader;
    this.methodFilter = methodFilter;
    this.earlyMatches = Collections.unmodifiableList(earlyMatches);
    this.maxWaitNanos = maxWaitNanos;
  }

  /** The thread that installs Byte Buddy: its own class loading never waits. */
  void installingOn(Thread thread) {
    installer = thread;
  }

  /** Byte Buddy's transformer, as it registers itself; from now on every call goes to it. */
  void delegateTo(ClassFileTransformer transformer) {
    delegate = transformer;
  }

  /** Installation finished (or failed, then {@code delegate} stays null): release waiting loads. */
  void installationDone() {
    installed.countDown();
  }

  /** Classes loaded unchanged before Byte Buddy's transformer existed. */
  PassedClasses passedClasses() {
    return passed;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    ClassFileTransformer d = delegate;
    if (d == null && installed.getCount() > 0 && mustWait(loader, className, classfileBuffer)) {
      long waitStarted = System.nanoTime();
      try {
        if (!installed.await(maxWaitNanos, TimeUnit.NANOSECONDS)) {
          // A user-visible degradation (the first calls of such classes go untraced until the
          // retransformation after installation), so a warning, not a debug line.
          AgentLog.warnOnce("install-wait", "instrumentation not ready after "
              + maxWaitNanos / 1_000_000 + " ms; " + className
              + " and classes like it run untraced until it is (sketchtrace.shutdown.timeout bounds the wait)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      d = delegate;
      AgentLog.debug("class " + className + " waited " + (System.nanoTime() - waitStarted) / 1_000_000
          + " ms for the installation");
    }
    if (d == null) {
      if (classBeingRedefined == null && className != null && installed.getCount() > 0) {
        passed.add(loader, className);
      }
      return null;
    }
    if (!mayAdvise(loader, className, classfileBuffer)) {
      return null; // declares no advised method: Byte Buddy need not even describe it
    }
    return d.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }

  /** {@link DeclaredMethodFilter#mayAdvise}; a class loaded while deciding goes to Byte Buddy. */
  private boolean mayAdvise(ClassLoader loader, String className, byte[] classFile) {
    boolean[] inside = deciding.get();
    if (inside[0]) {
      return true;
    }
    inside[0] = true;
    try {
      return methodFilter.mayAdvise(loader, className, classFile);
    } catch (Throwable t) {
      return true;
    } finally {
      inside[0] = false;
    }
  }

  private boolean mustWait(ClassLoader loader, String className, byte[] classFile) {
    if (className == null || loader == agentLoader || Thread.currentThread() == installer) {
      return false;
    }
    boolean[] inside = deciding.get();
    if (inside[0]) {
      return false; // a class loaded while deciding about another one
    }
    inside[0] = true;
    try {
      if (!methodFilter.mayAdvise(loader, className, classFile)) {
        return false;
      }
      boolean jdkLoader = Installer.isJdkLoader(loader);
      TypeDescription nameOnly = jdkLoader ? DeclaredMethodFilter.nameOnly(className) : null;
      for (EarlyMatch match : earlyMatches) {
        if (match.mightMatch(loader, jdkLoader, nameOnly, classFile)) {
          return true;
        }
      }
      return false;
    } catch (Throwable t) {
      return true;
    } finally {
      inside[0] = false;
    }
  }
}
