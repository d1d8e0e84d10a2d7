package dev.sketchtrace.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HttpClientSpanTest {
  @Test
  void numericHttpVersionsBecomeTheConventionsProtocolVersion() {
    HttpClientSpan span = new HttpClientSpan(null);
    span.setProtocolVersion(1, 0);
    assertThat(span.protocolVersion()).isEqualTo("1.0");
    span.setProtocolVersion(1, 1);
    assertThat(span.protocolVersion()).isEqualTo("1.1");
    span.setProtocolVersion(2, 0);
    assertThat(span.protocolVersion()).isEqualTo("2");
    span.setProtocolVersion(3, 0);
    assertThat(span.protocolVersion()).isEqualTo("2");
  }

  @Test
  void endingWithAResponseRecordsItsStatus() {
    EventQueue.install(16);
    HttpClientSpan span = new HttpClientSpan(null);
    span.end(503, null);
    assertThat(span.isEnded()).isTrue();
    assertThat(span.statusCode()).isEqualTo(503);
    assertThat(span.exception()).isNull();
  }

  @Test
  void endingWithoutAResponseKeepsNoStatusAndRecordsTheFailure() {
    EventQueue.install(16);
    HttpClientSpan span = new HttpClientSpan(null);
    IOException refused = new IOException("connection refused");
    span.end(0, refused);
    assertThat(span.isEnded()).isTrue();
    assertThat(span.statusCode()).isZero();
    assertThat(span.exception()).isSameAs(refused);
  }
}
