package dev.sketchtrace.collector.api;

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
import java.util.Map;

/** Stateless: JSON answers. NaN and infinities (no data) are written as {@code null}. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule()
      .addSerializer(Double.class, new FiniteOrNull())
      .addSerializer(double.class, new FiniteOrNull()));

  private Json() {}

  static HttpResponse ok(Object body) {
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse error(HttpStatus status, String parameter, String message) {
    Map<String, String> body = parameter == null ? Map.of("error", message) : Map.of("error", message, "parameter", parameter);
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class FiniteOrNull extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      if (v == null || !Double.isFinite(v)) g.writeNull();
      else g.writeNumber(v);
    }
  }
}
