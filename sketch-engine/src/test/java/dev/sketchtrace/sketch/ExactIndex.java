package dev.sketchtrace.sketch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The OTLP index definition evaluated exactly, independently of {@link BucketMapping}: bucket
 * {@code i} holds {@code (2^(i/2^s), 2^((i+1)/2^s)]}. Boundaries that are powers of two are exact
 * BigDecimals; the others are computed as {@code exp(r ln2 / 2^s)} by Taylor series at 70 digits.
 */
final class ExactIndex {
  private static final MathContext MC = new MathContext(70, RoundingMode.HALF_EVEN);
  private static final BigDecimal LN2 = ln2();

  private ExactIndex() {}

  static int index(double v, int scale) {
    BigDecimal x = new BigDecimal(v);
    int i = (int) Math.floor(Math.log(v) / Math.log(2) * Math.scalb(1.0, scale));
    while (boundary(i, scale).compareTo(x) >= 0) {
      i--;
    }
    while (boundary(i + 1, scale).compareTo(x) < 0) {
      i++;
    }
    return i;
  }

  /** {@code 2^(i / 2^scale)}. */
  static BigDecimal boundary(int i, int scale) {
    if (scale <= 0) {
      return pow2((long) i << -scale);
    }
    int q = Math.floorDiv(i, 1 << scale);
    int r = Math.floorMod(i, 1 << scale);
    BigDecimal p = pow2(q);
    if (r == 0) {
      return p;
    }
    BigDecimal arg = LN2.multiply(BigDecimal.valueOf(r)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(scale)), MC);
    return p.multiply(exp(arg), MC);
  }

  private static BigDecimal pow2(long e) {
    if (e >= 0) {
      return new BigDecimal(BigInteger.ONE.shiftLeft((int) e));
    }
    return BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft((int) -e)));
  }

  private static BigDecimal exp(BigDecimal x) {
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal eps = new BigDecimal("1e-68");
    for (int k = 1; term.abs().compareTo(eps) > 0; k++) {
      term = term.multiply(x, MC).divide(BigDecimal.valueOf(k), MC);
      sum = sum.add(term, MC);
    }
    return sum;
  }

  /** ln 2 = sum over k of 1 / (k 2^k). */
  private static BigDecimal ln2() {
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal half = new BigDecimal("0.5");
    BigDecimal p = BigDecimal.ONE;
    for (int k = 1; k < 260; k++) {
      p = p.multiply(half);
      sum = sum.add(p.divide(BigDecimal.valueOf(k), MC), MC);
    }
    return sum;
  }
}
