package dev.sketchtrace.instrumentation.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlSanitizerTest {

  @Test
  void leavesAPlainUrlAsItIs() {
    String url = "http://example.com:8080/a/b";
    assertThat(UrlSanitizer.sanitize(url)).isSameAs(url);
  }

  @Test
  void removesUserInfo() {
    assertThat(UrlSanitizer.sanitize("https://alice:s3cret@example.com/x"))
        .isEqualTo("https://example.com/x");
    assertThat(UrlSanitizer.sanitize("https://token@example.com")).isEqualTo("https://example.com");
  }

  @Test
  void redactsEveryQueryValueAndKeepsNames() {
    assertThat(UrlSanitizer.sanitize("http://h/p?user=bob&sig=abc&flag&empty="))
        .isEqualTo("http://h/p?user=REDACTED&sig=REDACTED&flag&empty=REDACTED");
  }

  @Test
  void dropsTheFragment() {
    assertThat(UrlSanitizer.sanitize("http://h/p?a=1#access_token=xyz"))
        .isEqualTo("http://h/p?a=REDACTED");
    assertThat(UrlSanitizer.sanitize("http://h/p#frag")).isEqualTo("http://h/p");
  }

  @Test
  void anAtSignInThePathIsNotUserInfo() {
    assertThat(UrlSanitizer.sanitize("http://h/users/@me?x=1")).isEqualTo("http://h/users/@me?x=REDACTED");
  }

  @Test
  void userInfoAndQueryTogether() {
    assertThat(UrlSanitizer.sanitize("http://u:p@h:81/p?q=1"))
        .isEqualTo("http://h:81/p?q=REDACTED");
  }

  @Test
  void readsHostAndScheme() {
    assertThat(UrlSanitizer.host("http://u:p@Example.com:81/p")).isEqualTo("Example.com");
    assertThat(UrlSanitizer.host("http://[::1]:8080/p")).isEqualTo("::1");
    assertThat(UrlSanitizer.host("http://h?x")).isEqualTo("h");
    assertThat(UrlSanitizer.host("/relative")).isNull();
    assertThat(UrlSanitizer.scheme("HTTPS://h")).isEqualTo("https");
    assertThat(UrlSanitizer.scheme("h/p")).isNull();
  }
}
