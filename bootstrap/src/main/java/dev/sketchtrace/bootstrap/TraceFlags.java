package dev.sketchtrace.bootstrap;

/** W3C trace-flags bits. */
public final class TraceFlags {
  public static final byte SAMPLED = 0x01;

  private TraceFlags() {}
}
