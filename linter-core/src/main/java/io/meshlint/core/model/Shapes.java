package io.meshlint.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shapes of the model classes, as {@link ShapeExport} wrote them at build time; loaded once, on first use. */
final class Shapes {
  static final String RESOURCE = "/meshlint/model-shapes.txt";

  enum Kind { ANY, STRING, INTEGER, NUMBER, BOOLEAN, STRING_OR_NUMBER, ENUM, LIST, MAP, OBJECT }

  /** What a field may hold. {@code type} is set for objects, {@code element} for lists and maps. */
  record Shape(Kind kind, Shape element, List<String> enumNames, ObjectType type) {}

  /** An object type: its simple name for messages, and its fields. */
  static final class ObjectType {
    final String simpleName;
    final Map<String, Shape> fields = new LinkedHashMap<>();

    ObjectType(String simpleName) {
      this.simpleName = simpleName;
    }
  }

  // Before TYPES: loading parses shapes with it.
  private static final Map<Character, Shape> SIMPLE = Map.of(
      's', new Shape(Kind.STRING, null, List.of(), null),
      'i', new Shape(Kind.INTEGER, null, List.of(), null),
      'n', new Shape(Kind.NUMBER, null, List.of(), null),
      'b', new Shape(Kind.BOOLEAN, null, List.of(), null),
      'q', new Shape(Kind.STRING_OR_NUMBER, null, List.of(), null),
      'a', new Shape(Kind.ANY, null, List.of(), null));

  private static final Map<String, ObjectType> TYPES = load();

  private Shapes() {}

  /** The shape of a model class, or null when the build did not export it. */
  static Shape of(String className) {
    ObjectType type = TYPES.get(className);
    return type == null ? null : new Shape(Kind.OBJECT, null, List.of(), type);
  }

  private static Map<String, ObjectType> load() {
    String text;
    try (InputStream in = Shapes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing: the build writes it (ShapeExport)");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, ObjectType> types = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("T ")) {
        String[] parts = line.split(" ");
        types.put(parts[1], new ObjectType(parts[2]));
      }
    }
    ObjectType current = null;
    for (String line : text.split("\n")) {
      String[] parts = line.split(" ");
      if (line.startsWith("T ")) {
        current = types.get(parts[1]);
      } else if (line.startsWith("F ")) {
        current.fields.put(parts[1], parse(parts[2], types));
      }
    }
    return types;
  }

  private static Shape parse(String shape, Map<String, ObjectType> types) {
    if (shape.length() == 1) {
      return SIMPLE.get(shape.charAt(0));
    }
    String rest = shape.substring(2);
    return switch (shape.charAt(0)) {
      case 'l' -> new Shape(Kind.LIST, parse(rest, types), List.of(), null);
      case 'm' -> new Shape(Kind.MAP, parse(rest, types), List.of(), null);
      case 'e' -> new Shape(Kind.ENUM, null, List.of(rest.split("\\|")), null);
      case 'o' -> new Shape(Kind.OBJECT, null, List.of(), types.get(rest));
      default -> throw new IllegalStateException("bad shape " + shape);
    };
  }
}
