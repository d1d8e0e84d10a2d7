package dev.sketchtrace.instrumentation.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sketchtrace.bootstrap.servlet.PathGlob;
import dev.sketchtrace.bootstrap.servlet.ServletSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PathGlobTest {
  @AfterEach
  void resetSettings() {
    ServletSettings.configure(List.of(), List.of(), List.of());
  }

  @Test
  void literalStarAndQuestionMark() {
    assertThat(new PathGlob("/health").matches("/health", 0)).isTrue();
    assertThat(new PathGlob("/health").matches("/healthz", 0)).isFalse();
    assertThat(new PathGlob("/actuator/*").matches("/actuator/metrics/jvm", 0)).isTrue();
    assertThat(new PathGlob("/actuator/*").matches("/actuator", 0)).isFalse();
    assertThat(new PathGlob("*.css").matches("/static/site.css", 0)).isTrue();
    assertThat(new PathGlob("/v?/ping").matches("/v2/ping", 0)).isTrue();
    assertThat(new PathGlob("/a*b*c").matches("/aXXbYYbZc", 0)).isTrue();
    assertThat(new PathGlob("/a*b*c").matches("/aXXbYY", 0)).isFalse();
  }

  @Test
  void matchingStartsAfterTheContextPath() {
    assertThat(new PathGlob("/health").matches("/shop/health", 5)).isTrue();
    ServletSettings.configure(List.of("/health"), List.of(), List.of());
    assertThat(ServletSettings.isExcluded("/shop/health", 5)).isTrue();
    assertThat(ServletSettings.isExcluded("/shop/health", 0)).isFalse();
    assertThat(ServletSettings.isExcluded(null, 0)).isFalse();
  }
}
