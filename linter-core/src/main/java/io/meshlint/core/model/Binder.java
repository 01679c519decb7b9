package io.meshlint.core.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import java.io.IOException;

/**
 * Binds trees to the fabric8 model classes, leniently: what does not fit (an unknown field, a value
 * of the wrong type) is left out rather than failing the object, since {@link SchemaChecker} has
 * already reported it where it is.
 */
final class Binder {
  private static final ObjectReader READER = createReader();

  private Binder() {}

  /** The typed object, or null when the tree cannot be bound at all. */
  static Object bind(JsonNode tree, String className) {
    try {
      return READER.forType(Class.forName(className)).readValue(tree);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      return null;
    }
  }

  private static ObjectReader createReader() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.addHandler(new DeserializationProblemHandler() {
      @Override
      public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
          String failureMsg) throws IOException {
        p.skipChildren();
        return null;
      }

      @Override
      public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
          ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
        p.skipChildren();
        return null;
      }

      @Override
      public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
          String failureMsg) {
        return null;
      }

      @Override
      public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
          String failureMsg) {
        return null;
      }
    });
    return mapper.reader();
  }
}
