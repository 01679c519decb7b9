package io.meshlint.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlint.core.model.Shapes.Shape;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a tree against the shape of its fabric8 model class: every unknown field (with the names
 * that would have been accepted, for "did you mean"), every value of the wrong type and every enum
 * value outside the enum, each at its path. Kubernetes and Istio reject all of these; fabric8 would
 * silently drop them. Checking is a walk of the tree with map lookups; binding to the typed classes
 * is left for when a rule asks for it.
 */
public final class SchemaChecker {
  private final List<SchemaProblem> problems;
  /** The path to the node being checked, made into a FieldPath only for a problem: most trees have none. */
  private final List<Object> trail = new ArrayList<>();

  private SchemaChecker(List<SchemaProblem> problems) {
    this.problems = problems;
  }

  public static List<SchemaProblem> check(JsonNode tree, String modelClass) {
    List<SchemaProblem> problems = new ArrayList<>();
    Shape shape = Shapes.of(modelClass);
    if (shape != null) {
      new SchemaChecker(problems).check(tree, shape);
    }
    return problems;
  }

  private void check(JsonNode node, Shape shape) {
    if (node.isNull()) {
      return;
    }
    switch (shape.kind()) {
      case ANY -> { }
      case STRING -> expect(node.isTextual(), "a string", node);
      case INTEGER -> expect(node.isIntegralNumber(), "an integer", node);
      case NUMBER -> expect(node.isNumber(), "a number", node);
      case BOOLEAN -> expect(node.isBoolean(), "true or false", node);
      case STRING_OR_NUMBER -> expect(node.isTextual() || node.isNumber(), "a string or a number", node);
      case ENUM -> {
        if (node.isTextual() && !shape.enumNames().contains(node.asText())) {
          problems.add(new SchemaProblem(path(), "invalid value \"" + node.asText() + "\": expected one of "
              + String.join(", ", shape.enumNames())));
        } else if (!node.isTextual() && !node.isIntegralNumber()) {
          // Protobuf enums also accept their numbers.
          problems.add(mismatch("one of " + String.join(", ", shape.enumNames()), node));
        }
      }
      case LIST -> {
        if (expect(node.isArray(), "a list", node)) {
          for (int i = 0; i < node.size(); i++) {
            trail.add(i);
            check(node.get(i), shape.element());
            trail.remove(trail.size() - 1);
          }
        }
      }
      case MAP -> {
        if (expect(node.isObject(), "a map", node)) {
          ((ObjectNode) node).forEachEntry((key, value) -> {
            trail.add(key);
            check(value, shape.element());
            trail.remove(trail.size() - 1);
          });
        }
      }
      case OBJECT -> {
        Shapes.ObjectType type = shape.type();
        if (!node.isObject()) {
          problems.add(mismatch("an object (" + type.simpleName + ")", node));
          return;
        }
        // forEachEntry, unlike fields(), makes no entry objects.
        ((ObjectNode) node).forEachEntry((key, value) -> {
          Shape field = type.fields.get(key);
          trail.add(key);
          if (field == null) {
            String message = "unknown field \"" + key + "\" in " + type.simpleName;
            String suggestion = Spelling.closest(key, type.fields.keySet());
            problems.add(new SchemaProblem(path(),
                suggestion == null ? message : message + "; did you mean \"" + suggestion + "\"?"));
          } else {
            check(value, field);
          }
          trail.remove(trail.size() - 1);
        });
      }
    }
  }

  private boolean expect(boolean ok, String expected, JsonNode node) {
    if (!ok) {
      problems.add(mismatch(expected, node));
    }
    return ok;
  }

  private SchemaProblem mismatch(String expected, JsonNode node) {
    return new SchemaProblem(path(), "expected " + expected + " but found " + describe(node));
  }

  private FieldPath path() {
    return FieldPath.of(trail.toArray());
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
