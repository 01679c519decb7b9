package io.meshlint.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Shapes.Shape;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a tree against the shape of its fabric8 model class: every unknown field (with the names
 * that would have been accepted, for "did you mean"), every value of the wrong type and every enum
 * value outside the enum, each at its path. Kubernetes and Istio reject all of these; fabric8 would
 * silently drop them. Checking is a walk of the tree with map lookups; binding to the typed classes
 * is left for when a rule asks for it.
 */
public final class SchemaChecker {
  private SchemaChecker() {}

  public static List<SchemaProblem> check(JsonNode tree, String modelClass) {
    List<SchemaProblem> problems = new ArrayList<>();
    Shape shape = Shapes.of(modelClass);
    if (shape != null) {
      check(tree, shape, FieldPath.ROOT, problems);
    }
    return problems;
  }

  private static void check(JsonNode node, Shape shape, FieldPath path, List<SchemaProblem> problems) {
    if (node.isNull()) {
      return;
    }
    switch (shape.kind()) {
      case ANY -> { }
      case STRING -> expect(node.isTextual(), "a string", node, path, problems);
      case INTEGER -> expect(node.isIntegralNumber(), "an integer", node, path, problems);
      case NUMBER -> expect(node.isNumber(), "a number", node, path, problems);
      case BOOLEAN -> expect(node.isBoolean(), "true or false", node, path, problems);
      case STRING_OR_NUMBER -> expect(node.isTextual() || node.isNumber(), "a string or a number", node, path, problems);
      case ENUM -> {
        String values = String.join(", ", shape.enumNames());
        if (node.isTextual() && !shape.enumNames().contains(node.asText())) {
          problems.add(new SchemaProblem(path, "invalid value \"" + node.asText() + "\": expected one of " + values));
        } else {
          // Protobuf enums also accept their numbers.
          expect(node.isTextual() || node.isIntegralNumber(), "one of " + values, node, path, problems);
        }
      }
      case LIST -> {
        if (expect(node.isArray(), "a list", node, path, problems)) {
          for (int i = 0; i < node.size(); i++) {
            check(node.get(i), shape.element(), path.index(i), problems);
          }
        }
      }
      case MAP -> {
        if (expect(node.isObject(), "a map", node, path, problems)) {
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            check(e.getValue(), shape.element(), path.key(e.getKey()), problems);
          }
        }
      }
      case OBJECT -> {
        Shapes.ObjectType type = shape.type();
        if (!expect(node.isObject(), "an object (" + type.simpleName + ")", node, path, problems)) {
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Shape field = type.fields.get(e.getKey());
          if (field == null) {
            String message = "unknown field \"" + e.getKey() + "\" in " + type.simpleName;
            String suggestion = Spelling.closest(e.getKey(), type.fields.keySet());
            problems.add(new SchemaProblem(path.key(e.getKey()),
                suggestion == null ? message : message + "; did you mean \"" + suggestion + "\"?"));
          } else {
            check(e.getValue(), field, path.key(e.getKey()), problems);
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
}
