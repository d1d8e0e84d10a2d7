package dev.sketchtrace.collector.alerts;

/** A rule file or API body that does not validate; the message starts with the offending field. */
public final class InvalidRulesException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRulesException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The JSON path of the bad field, e.g. {@code rules[2].window}. */
  public String field() {
    return field;
  }
}
