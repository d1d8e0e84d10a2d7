package dev.sketchtrace.api;

/** Undoes {@link Span#makeCurrent()}: the span that was current before is current again. */
public interface Scope extends AutoCloseable {
  @Override
  void close();
}
