package dev.sketchtrace.collector.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stateless: JSON answers of the dashboard, drift and alert endpoints; NaN and infinities become null. */
final class JsonAnswers {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              new SimpleModule()
                  .addSerializer(Double.class, new FiniteOrNull())
                  .addSerializer(double.class, new FiniteOrNull()));

  private JsonAnswers() {}

  static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse ok(Object body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, bytes(body));
  }

  static HttpResponse status(HttpStatus status, Object body) {
    return HttpResponse.of(status, MediaType.JSON_UTF_8, bytes(body));
  }

  /** {@code {"error": message, "field": field}}: what every 400 of these endpoints looks like. */
  static HttpResponse bad(String field, String message) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("field", field);
    return status(HttpStatus.BAD_REQUEST, m);
  }

  private static final class FiniteOrNull extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (v == null || !Double.isFinite(v)) g.writeNull();
      else g.writeNumber(v);
    }
  }
}
