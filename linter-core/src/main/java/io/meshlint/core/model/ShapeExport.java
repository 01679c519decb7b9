package io.meshlint.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes the shapes of the fabric8 model classes of every kind meshlint binds, as Jackson sees them,
 * to the file {@link Shapes} reads. Run by the build: reading the classes with Jackson's
 * introspection takes longer than linting a few files, so a run reads this file instead.
 *
 * <p>Format, one line each: {@code T name SimpleName} starts an object type; {@code F field shape}
 * adds a field to it. A shape is {@code s} string, {@code i} integer, {@code n} number, {@code b}
 * boolean, {@code q} string or number, {@code a} anything, {@code e:A|B} enum, {@code o:name}
 * object, {@code l:shape} list, {@code m:shape} map. One-of fields (fabric8's unwrapped
 * interfaces) contribute the fields of every variant.
 */
public final class ShapeExport {
  /**
   * Fields fabric8 types differently from Istio's CRDs, by {@code class#field}: the Wasm traffic
   * selector's {@code mode} is Istio's WorkloadMode enum, which fabric8 generates as an integer.
   */
  private static final Map<String, String> CORRECTIONS = Map.of(
      "io.fabric8.istio.api.api.extensions.v1alpha1.WasmPluginTrafficSelector#mode",
      "e:UNDEFINED|CLIENT|SERVER|CLIENT_AND_SERVER");

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Map<String, String>> types = new LinkedHashMap<>();
  private final Deque<Class<?>> pending = new ArrayDeque<>();

  private ShapeExport() {}

  public static void main(String[] args) throws IOException, ClassNotFoundException {
    ShapeExport export = new ShapeExport();
    for (KindInfo kind : Kinds.all()) {
      for (String className : kind.classByVersion().values()) {
        export.shape(export.mapper.constructType(Class.forName(className)));
      }
    }
    export.drain();
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    Files.writeString(out, export.render(), StandardCharsets.UTF_8);
  }

  private void drain() {
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      Map<String, String> fields = new LinkedHashMap<>();
      collect(type, fields);
      types.put(type.getName(), fields);
    }
  }

  private String shape(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return "l:" + shape(type.getContentType());
    }
    if (type.isMapLikeType()) {
      return "m:" + shape(type.getContentType());
    }
    if (raw == String.class) {
      return "s";
    }
    if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class || raw == Short.class) {
      return "i";
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return "b";
    }
    if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
      return "n";
    }
    if (raw == IntOrString.class || raw == Quantity.class) {
      return "q";
    }
    if (raw.isEnum()) {
      StringJoiner names = new StringJoiner("|", "e:", "");
      for (Object constant : raw.getEnumConstants()) {
        names.add(((Enum<?>) constant).name());
      }
      return names.toString();
    }
    if (raw.getName().startsWith("io.fabric8.") && (!raw.isInterface() || raw.isAnnotationPresent(JsonSubTypes.class))) {
      if (isFreeForm(raw)) {
        return "a";
      }
      if (!types.containsKey(raw.getName()) && !pending.contains(raw)) {
        types.put(raw.getName(), null);
        pending.push(raw);
      }
      return "o:" + raw.getName();
    }
    return "a";
  }

  /** Objects that only collect arbitrary fields, such as managedFields' FieldsV1: anything goes inside. */
  private boolean isFreeForm(Class<?> type) {
    if (type.isInterface()) {
      return false;
    }
    BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
    return description.findAnySetterAccessor() != null
        && description.findProperties().stream().noneMatch(BeanPropertyDefinition::couldDeserialize);
  }

  private void collect(Class<?> type, Map<String, String> out) {
    if (type.isInterface()) {
      for (JsonSubTypes.Type sub : type.getAnnotation(JsonSubTypes.class).value()) {
        collect(sub.value(), out);
      }
      return;
    }
    BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
    for (BeanPropertyDefinition property : description.findProperties()) {
      if (!property.couldDeserialize()) {
        continue;
      }
      AnnotatedMember member = property.getPrimaryMember();
      if (member != null && member.hasAnnotation(JsonUnwrapped.class)) {
        collect(property.getPrimaryType().getRawClass(), out);
      } else {
        String correction = CORRECTIONS.get(type.getName() + "#" + property.getName());
        out.put(property.getName(), correction != null ? correction : shape(property.getPrimaryType()));
      }
    }
  }

  private String render() {
    StringBuilder sb = new StringBuilder();
    Set<String> written = new LinkedHashSet<>();
    types.forEach((name, fields) -> {
      if (fields != null && written.add(name)) {
        sb.append("T ").append(name).append(' ').append(name.substring(name.lastIndexOf('.') + 1)).append('\n');
        fields.forEach((field, shape) -> sb.append("F ").append(field).append(' ').append(shape).append('\n'));
      }
    });
    return sb.toString();
  }
}
