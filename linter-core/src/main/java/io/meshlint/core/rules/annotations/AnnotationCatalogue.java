package io.meshlint.core.rules.annotations;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.source.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Istio's catalogue of resource annotations, loaded from {@code /meshlint/istio-annotations.yaml}. */
public final class AnnotationCatalogue {
  /** The kind name that fits every resource. */
  public static final String ANY = "Any";

  public enum Status { ALPHA, BETA, STABLE }

  public record Annotation(String name, List<String> kinds, Status status, boolean deprecated, String description) {
    public boolean fits(String kind) {
      return kinds.contains(ANY) || kinds.contains(kind);
    }
  }

  private static final AnnotationCatalogue ISTIO = load("/meshlint/istio-annotations.yaml");

  private final String release;
  private final Map<String, Annotation> byName;

  private AnnotationCatalogue(String release, Map<String, Annotation> byName) {
    this.release = release;
    this.byName = byName;
  }

  public static AnnotationCatalogue istio() {
    return ISTIO;
  }

  /** The Istio release the catalogue follows, e.g. {@code 1.28}. */
  public String release() {
    return release;
  }

  /** The annotation of that name, or null when Istio does not know it. */
  public Annotation find(String name) {
    return byName.get(name);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * Whether Istio's analyzer considers a key its own: the part before the first slash ends with
   * {@code istio.io}, or it is the Kubernetes ingress class annotation that Istio documents.
   */
  public static boolean inIstioDomain(String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? key : key.substring(0, slash);
    return prefix.endsWith("istio.io") || key.equals("kubernetes.io/ingress.class");
  }

  static AnnotationCatalogue load(String resource) {
    String text;
    try (InputStream in = AnnotationCatalogue.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(text);
  }

  static AnnotationCatalogue parse(String text) {
    YamlReader.Parsed parsed = new YamlReader(YamlReader.Limits.DEFAULT).parse(text);
    if (!parsed.problems().isEmpty() || parsed.documents().size() != 1) {
      throw new IllegalArgumentException("annotation catalogue is not one YAML document: " + parsed.problems());
    }
    JsonNode root = parsed.documents().get(0);
    Map<String, Annotation> byName = new HashMap<>();
    for (JsonNode a : root.path("annotations")) {
      String name = required(a, "name");
      List<String> kinds = new ArrayList<>();
      a.path("kinds").forEach(k -> kinds.add(k.asText()));
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("annotation " + name + " has no kinds");
      }
      Status status = Status.valueOf(required(a, "status").toUpperCase(Locale.ROOT));
      Annotation annotation = new Annotation(name, List.copyOf(kinds), status, a.path("deprecated").asBoolean(false),
          a.path("description").asText(""));
      if (byName.put(name, annotation) != null) {
        throw new IllegalArgumentException("annotation " + name + " is listed twice");
      }
    }
    return new AnnotationCatalogue(required(root, "release"), Map.copyOf(byName));
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("annotation catalogue: missing " + field + " in " + node);
    }
    return value;
  }
}
