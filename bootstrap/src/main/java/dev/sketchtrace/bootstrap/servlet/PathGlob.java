package dev.sketchtrace.bootstrap.servlet;

/**
 * One exclusion pattern of {@code sketchtrace.servlet.exclude}: {@code *} matches any run of
 * characters (slashes included), {@code ?} exactly one; everything else matches itself. So {@code
 * /health} matches only that path and {@code /actuator/*} everything below {@code /actuator/}.
 *
 * <p>Immutable. Matching allocates nothing and works on a region of the path, so the advice can
 * skip the context path without taking a substring.
 */
public final class PathGlob {
  private final String pattern;

  public PathGlob(String pattern) {
    this.pattern = pattern;
  }

  public String pattern() {
    return pattern;
  }

  /** Whether {@code path.substring(from)} matches, without building the substring. */
  public boolean matches(String path, int from) {
    int p = 0;
    int s = from;
    int starP = -1;
    int starS = -1;
    int pLen = pattern.length();
    int sLen = path.length();
    while (s < sLen) {
      if (p < pLen && (pattern.charAt(p) == '?' || pattern.charAt(p) == path.charAt(s))) {
        p++;
        s++;
      } else if (p < pLen && pattern.charAt(p) == '*') {
        starP = p++;
        starS = s;
      } else if (starP >= 0) {
        // Backtrack: let the last star swallow one more character. Linear in practice for the
        // short patterns this is meant for; quadratic at worst, never exponential.
        p = starP + 1;
        s = ++starS;
      } else {
        return false;
      }
    }
    while (p < pLen && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pLen;
  }
}
