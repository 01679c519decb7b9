package io.meshlint.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a tree against the shape of a fabric8 model class: every unknown field (with the names
 * that would have been accepted, for "did you mean"), every value of the wrong type and every enum
 * value outside the enum, each at its path. The shapes are read from the model classes by Jackson's
 * introspection, once per class, so checking a resource is a walk of its tree with map lookups;
 * binding to the typed classes is left for when a rule asks for it.
 */
public final class SchemaChecker {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SchemaChecker() {}

  public static List<SchemaProblem> check(JsonNode tree, Class<?> modelClass) {
    List<SchemaProblem> problems = new ArrayList<>();
    check(tree, Shape.of(MAPPER.constructType(modelClass)), FieldPath.ROOT, problems);
    return problems;
  }

  private static void check(JsonNode node, Shape shape, FieldPath path, List<SchemaProblem> problems) {
    if (node.isNull()) {
      return;
    }
    switch (shape.kind) {
      case ANY -> { }
      case STRING -> expect(node.isTextual(), "a string", node, path, problems);
      case INTEGER -> expect(node.isIntegralNumber(), "an integer", node, path, problems);
      case NUMBER -> expect(node.isNumber(), "a number", node, path, problems);
      case BOOLEAN -> expect(node.isBoolean(), "true or false", node, path, problems);
      case STRING_OR_NUMBER -> expect(node.isTextual() || node.isNumber(), "a string or a number", node, path, problems);
      case ENUM -> {
        if (node.isTextual() && !shape.enumNames.contains(node.asText())) {
          problems.add(new SchemaProblem(path, "invalid value \"" + node.asText() + "\": expected one of "
              + String.join(", ", shape.enumNames)));
        } else {
          expect(node.isTextual() || node.isIntegralNumber(), "one of " + String.join(", ", shape.enumNames), node, path,
              problems);
        }
      }
      case LIST -> {
        if (expect(node.isArray(), "a list", node, path, problems)) {
          for (int i = 0; i < node.size(); i++) {
            check(node.get(i), shape.element, path.index(i), problems);
          }
        }
      }
      case MAP -> {
        if (expect(node.isObject(), "a map", node, path, problems)) {
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            check(e.getValue(), shape.element, path.key(e.getKey()), problems);
          }
        }
      }
      case OBJECT -> {
        if (!expect(node.isObject(), "an object (" + shape.typeName + ")", node, path, problems)) {
          return;
        }
        Map<String, Shape> properties = shape.properties();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Shape property = properties.get(e.getKey());
          if (property == null) {
            String message = "unknown field \"" + e.getKey() + "\" in " + shape.typeName;
            String suggestion = Spelling.closest(e.getKey(), properties.keySet());
            problems.add(new SchemaProblem(path.key(e.getKey()),
                suggestion == null ? message : message + "; did you mean \"" + suggestion + "\"?"));
          } else {
            check(e.getValue(), property, path.key(e.getKey()), problems);
          }
        }
      }
    }
  }

  private static boolean expect(boolean ok, String expected, JsonNode node, FieldPath path, List<SchemaProblem> problems) {
    if (!ok) {
      problems.add(new SchemaProblem(path, "expected " + expected + " but found " + describe(node)));
    }
    return ok;
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    return node.isBoolean() ? "a boolean" : node.getNodeType().name().toLowerCase();
  }

  private enum Kind { ANY, STRING, INTEGER, NUMBER, BOOLEAN, STRING_OR_NUMBER, ENUM, LIST, MAP, OBJECT }

  /** What a field may hold, derived from its Java type. */
  private static final class Shape {
    private static final ClassValue<Shape> OBJECTS = new ClassValue<>() {
      @Override
      protected Shape computeValue(Class<?> type) {
        return new Shape(Kind.OBJECT, null, List.of(), type);
      }
    };

    final Kind kind;
    final Shape element;
    final List<String> enumNames;
    final Class<?> type;
    final String typeName;
    private volatile Map<String, Shape> properties;

    private Shape(Kind kind, Shape element, List<String> enumNames, Class<?> type) {
      this.kind = kind;
      this.element = element;
      this.enumNames = enumNames;
      this.type = type;
      this.typeName = type == null ? null : type.getSimpleName();
    }

    private static Shape simple(Kind kind) {
      return new Shape(kind, null, List.of(), null);
    }

    private static final Shape ANY = simple(Kind.ANY);
    private static final Shape STRING = simple(Kind.STRING);
    private static final Shape INTEGER = simple(Kind.INTEGER);
    private static final Shape NUMBER = simple(Kind.NUMBER);
    private static final Shape BOOLEAN = simple(Kind.BOOLEAN);
    private static final Shape STRING_OR_NUMBER = simple(Kind.STRING_OR_NUMBER);

    static Shape of(JavaType type) {
      Class<?> raw = type.getRawClass();
      if (type.isCollectionLikeType() || type.isArrayType()) {
        return new Shape(Kind.LIST, of(type.getContentType()), List.of(), null);
      }
      if (type.isMapLikeType()) {
        return new Shape(Kind.MAP, of(type.getContentType()), List.of(), null);
      }
      if (raw == String.class) {
        return STRING;
      }
      if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class || raw == Short.class) {
        return INTEGER;
      }
      if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class
          || Number.class.isAssignableFrom(raw)) {
        return NUMBER;
      }
      if (raw == Boolean.class || raw == boolean.class) {
        return BOOLEAN;
      }
      if (raw == IntOrString.class || raw == Quantity.class) {
        return STRING_OR_NUMBER;
      }
      if (raw.isEnum()) {
        return new Shape(Kind.ENUM, null, enumNames(raw), raw);
      }
      if (raw.getName().startsWith("io.fabric8.") && (!raw.isInterface() || raw.isAnnotationPresent(JsonSubTypes.class))) {
        return OBJECTS.get(raw);
      }
      return ANY;
    }

    /** The object's fields, computed on first use; unwrapped one-of fields contribute their variants' fields. */
    Map<String, Shape> properties() {
      Map<String, Shape> p = properties;
      if (p == null) {
        p = new LinkedHashMap<>();
        collect(type, p);
        properties = p;
      }
      return p;
    }

    private static void collect(Class<?> type, Map<String, Shape> out) {
      if (type.isInterface()) {
        JsonSubTypes subTypes = type.getAnnotation(JsonSubTypes.class);
        for (JsonSubTypes.Type sub : subTypes.value()) {
          collect(sub.value(), out);
        }
        return;
      }
      DeserializationConfig config = MAPPER.getDeserializationConfig();
      BeanDescription description = config.introspect(MAPPER.constructType(type));
      for (BeanPropertyDefinition property : description.findProperties()) {
        if (!property.couldDeserialize()) {
          continue;
        }
        AnnotatedMember member = property.getPrimaryMember();
        if (member != null && member.hasAnnotation(JsonUnwrapped.class)) {
          collect(property.getPrimaryType().getRawClass(), out);
        } else {
          out.put(property.getName(), of(property.getPrimaryType()));
        }
      }
    }

    private static List<String> enumNames(Class<?> type) {
      Set<String> names = new LinkedHashSet<>();
      for (Object constant : type.getEnumConstants()) {
        String name = ((Enum<?>) constant).name();
        try {
          JsonProperty json = type.getField(name).getAnnotation(JsonProperty.class);
          names.add(json != null && !json.value().isEmpty() ? json.value() : name);
        } catch (NoSuchFieldException e) {
          names.add(name);
        }
      }
      return List.copyOf(names);
    }
  }
}
