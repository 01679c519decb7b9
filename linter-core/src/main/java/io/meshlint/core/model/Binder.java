package io.meshlint.core.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.meshlint.core.source.FieldPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Binds trees to the fabric8 model classes and collects every field that does not fit, instead of
 * failing on the first. fabric8 classes keep unknown fields in an "additional properties" map; that
 * is switched off here so that each unknown field is reported where it is, with the names that
 * would have been accepted.
 */
public final class Binder {
  private static final String PROBLEMS = "meshlint.problems";
  private static final ObjectReader READER = createReader();

  private Binder() {}

  public record Result<T>(T value, List<SchemaProblem> problems) {}

  public static <T> Result<T> bind(JsonNode tree, Class<T> type) {
    List<SchemaProblem> problems = new ArrayList<>();
    try {
      T value = READER.withAttribute(PROBLEMS, problems).forType(type).readValue(tree);
      return new Result<>(value, problems);
    } catch (IOException | RuntimeException e) {
      problems.add(new SchemaProblem(FieldPath.ROOT, "cannot read the object: " + firstLine(e.getMessage())));
      return new Result<>(null, problems);
    }
  }

  private static ObjectReader createReader() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
      @Override
      public Boolean hasAnySetter(Annotated annotated) {
        return Boolean.FALSE;
      }
    });
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.addHandler(new CollectingHandler());
    mapper.registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
          BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
        return new StrictEnum(type.getRawClass(), deserializer);
      }
    }));
    return mapper.reader();
  }

  private static final class CollectingHandler extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      Collection<Object> known = deserializer == null ? List.of() : deserializer.getKnownPropertyNames();
      String typeName = beanOrClass instanceof Class<?> c ? c.getSimpleName() : beanOrClass.getClass().getSimpleName();
      String message = "unknown field \"" + propertyName + "\" in " + typeName;
      String suggestion = Spelling.closest(propertyName, known.stream().map(String::valueOf).toList());
      if (suggestion != null) {
        message += "; did you mean \"" + suggestion + "\"?";
      }
      add(ctxt, p, message);
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
        String failureMsg) throws IOException {
      add(ctxt, p, "expected " + describe(targetType.getRawClass()) + " but found " + describe(t));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
        ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
      add(ctxt, p, "expected " + describe(instClass) + " but found " + describe(p.currentToken()));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
        String failureMsg) {
      String expected = targetType.isEnum() ? "one of " + enumValues(targetType) : describe(targetType);
      add(ctxt, ctxt.getParser(), "invalid value \"" + valueToConvert + "\": expected " + expected);
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
        String failureMsg) {
      add(ctxt, ctxt.getParser(), "invalid value " + valueToConvert + ": expected " + describe(targetType));
      return null;
    }

    @SuppressWarnings("unchecked")
    static void add(DeserializationContext ctxt, JsonParser p, String message) {
      List<SchemaProblem> problems = (List<SchemaProblem>) ctxt.getAttribute(PROBLEMS);
      problems.add(new SchemaProblem(toPath(p.getParsingContext().pathAsPointer()), message));
    }
  }

  /**
   * fabric8's enums map unknown names to null, silently, and accept any case; the API server (the
   * CRD schema) accepts only the exact names, or a number for Istio's protobuf enums.
   */
  private static final class StrictEnum extends JsonDeserializer<Object> implements ContextualDeserializer {
    private final Class<?> type;
    private final JsonDeserializer<?> delegate;

    StrictEnum(Class<?> type, JsonDeserializer<?> delegate) {
      this.type = type;
      this.delegate = delegate;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
      Object value = delegate.deserialize(p, ctxt);
      if (text != null && !isConstant(text)) {
        CollectingHandler.add(ctxt, p, "invalid value \"" + text + "\": expected one of " + enumValues(type));
      }
      return value;
    }

    private boolean isConstant(String text) {
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(text) || String.valueOf(constant).equals(text)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
        throws JsonMappingException {
      return delegate instanceof ContextualDeserializer c
          ? new StrictEnum(type, c.createContextual(ctxt, property)) : this;
    }
  }

  private static FieldPath toPath(JsonPointer pointer) {
    FieldPath path = FieldPath.ROOT;
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      path = p.mayMatchElement() ? path.index(p.getMatchingIndex()) : path.key(p.getMatchingProperty());
    }
    return path;
  }

  private static String enumValues(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      names.add(String.valueOf(constant));
    }
    return String.join(", ", names);
  }

  static String describe(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == Float.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
