package dev.sketchtrace.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SharedTypePoolsTest {
  private final ClassLoader app = new URLClassLoader(new URL[0], getClass().getClassLoader());

  @Test
  void oneCachePerClassLoaderSharedBetweenClassLoads() {
    SharedTypePools pools = new SharedTypePools();
    TypePool.CacheProvider first = pools.locate(app);
    assertThat(pools.locate(app)).isSameAs(first);
    assertThat(pools.locate(getClass().getClassLoader())).isNotSameAs(first);
    assertThat(pools.locate(null)).isSameAs(pools.locate(null)).isNotSameAs(first);

    // A description resolved for one class load is found by the next one.
    TypePool pool = pools.typePool(ClassFileLocator.ForClassLoader.of(app), app);
    assertThat(pool.describe(ArrayListSubclass.class.getName()).resolve().getSuperClass().asErasure().getName())
        .isEqualTo("java.util.ArrayList");
    assertThat(first.find(ArrayListSubclass.class.getName())).isNotNull();
  }

  @Test
  void cachesAreDroppedOnlyOnceUnused() {
    SharedTypePools pools = new SharedTypePools();
    TypePool.CacheProvider before = pools.locate(app);
    assertThat(pools.clearIfUnusedFor(60_000_000_000L)).as("just used").isFalse();
    assertThat(pools.locate(app)).isSameAs(before);
    assertThat(pools.clearIfUnusedFor(0)).isTrue();
    assertThat(pools.locate(app)).isNotSameAs(before);
  }

  static final class ArrayListSubclass extends java.util.ArrayList<String> {}
}
