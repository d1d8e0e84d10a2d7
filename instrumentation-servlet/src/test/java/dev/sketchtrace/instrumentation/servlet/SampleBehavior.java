package dev.sketchtrace.instrumentation.servlet;

import java.io.IOException;

/**
 * What a woven sample servlet does when called: the test puts it in the request attribute {@value
 * #ATTRIBUTE} (the sample is loaded in a child class loader, so it cannot share static state).
 */
public interface SampleBehavior {
  String ATTRIBUTE = "test.behavior";

  void run(Object request, Object response) throws IOException;
}
