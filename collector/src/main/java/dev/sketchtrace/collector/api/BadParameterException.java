package dev.sketchtrace.collector.api;

/** Immutable: a query parameter is missing or malformed; answered with 400 naming it. */
final class BadParameterException extends Exception {
  private static final long serialVersionUID = 1L;
  final String parameter;

  BadParameterException(String parameter, String message) {
    super(message, null, false, false);
    this.parameter = parameter;
  }
}
