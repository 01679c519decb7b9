package io.meshlint.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshlint.core.source.FieldMap;
import io.meshlint.core.source.FieldPath;
import io.meshlint.core.source.SourceFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One Kubernetes object from the inputs: its tree, its typed model (when meshlint knows the kind),
 * and where it came from. {@code base} is the path of the object inside its document, which is not
 * the root for the items of a {@code List}.
 */
public final class Resource {
  private final SourceFile file;
  private final int documentIndex;
  private final FieldPath base;
  private final String helmSource;
  private final String apiVersion;
  private final String group;
  private final String kind;
  private final String name;
  private final String namespace;
  private final ObjectNode tree;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  private final String modelClass;
  private final ResourceKey key;
  private volatile Object typed;
  private final List<SchemaProblem> schemaProblems;
  private final boolean reported;

  public Resource(SourceFile file, int documentIndex, FieldPath base, String helmSource, String apiVersion,
      String kind, String name, String namespace, ObjectNode tree, String modelClass,
      List<SchemaProblem> schemaProblems, boolean reported) {
    this.file = file;
    this.documentIndex = documentIndex;
    this.base = base;
    this.helmSource = helmSource;
    this.apiVersion = apiVersion;
    this.group = Kinds.groupOf(apiVersion);
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
    this.tree = tree;
    this.modelClass = modelClass;
    this.key = new ResourceKey(kind, namespace, name);
    this.schemaProblems = schemaProblems;
    this.reported = reported;
    JsonNode metadata = tree.path("metadata");
    this.labels = stringMap(metadata.path("labels"));
    this.annotations = stringMap(metadata.path("annotations"));
  }

  /**
   * A map of string values, such as labels or a selector; empty when absent or not a map. A
   * {@link FieldMap}: small (resources keep their labels and annotations), and keys chosen to share
   * a {@code String.hashCode} cost no more than others.
   */
  public static Map<String, String> stringMap(JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      return Map.of();
    }
    FieldMap<String> out = new FieldMap<>();
    ((ObjectNode) node).forEachEntry((key, value) -> out.add(key, value.isNull() ? "" : value.asText()));
    out.trim();
    return Collections.unmodifiableMap(out);
  }


  public SourceFile file() {
    return file;
  }

  public int documentIndex() {
    return documentIndex;
  }

  public FieldPath base() {
    return base;
  }

  /** The chart template this object was rendered from, per helm's {@code # Source:} comment. */
  public String helmSource() {
    return helmSource;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public String group() {
    return group;
  }

  public String kind() {
    return kind;
  }

  /** The kind as the index knows it, group-qualified outside Kubernetes' and Istio's groups (see {@link Kinds#keyOf}). */
  public String kindKey() {
    return Kinds.keyOf(group, kind);
  }

  public String name() {
    return name;
  }

  /** The effective namespace; null for cluster-scoped kinds. */
  public String namespace() {
    return namespace;
  }

  public ResourceKey key() {
    return key;
  }

  public ObjectNode tree() {
    return tree;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  /** True when meshlint knows this kind and version and has a typed model for it. */
  public boolean hasModel() {
    return modelClass != null;
  }

  /**
   * The fabric8 object, or null when the kind is not one meshlint binds. Bound on first use: most
   * rules read the tree, and binding every resource would cost more than parsing it.
   */
  public HasMetadata typed() {
    Object value = typed;
    if (value == null && modelClass != null) {
      Object bound = Binder.bind(tree, modelClass);
      value = bound == null ? NOT_BOUND : bound;
      typed = value;
    }
    return value instanceof HasMetadata h ? h : null;
  }

  private static final Object NOT_BOUND = new Object();

  /** The typed object as {@code type}, or null when it is not one. */
  public <T> T as(Class<T> type) {
    Object value = typed();
    return type.isInstance(value) ? type.cast(value) : null;
  }

  /**
   * The typed {@code spec}, shared by every served version of an Istio kind (v1alpha3, v1beta1 and
   * v1 all bind the spec to the same class), or null.
   */
  public <T> T spec(Class<T> specType) {
    Object spec = specOf(typed());
    return specType.isInstance(spec) ? specType.cast(spec) : null;
  }

  private static Object specOf(Object typed) {
    Method getter = typed == null ? null : SPEC_GETTER.get(typed.getClass());
    if (getter == null) {
      return null;
    }
    try {
      return getter.invoke(typed);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  private static final ClassValue<Method> SPEC_GETTER = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> type) {
      try {
        return type.getMethod("getSpec");
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  public List<SchemaProblem> schemaProblems() {
    return schemaProblems;
  }

  /** False for resources read only as context (with {@code --context}): they resolve references. */
  public boolean reported() {
    return reported;
  }

  @Override
  public String toString() {
    return key().toString();
  }
}
