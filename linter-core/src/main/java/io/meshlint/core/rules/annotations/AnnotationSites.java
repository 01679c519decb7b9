package io.meshlint.core.rules.annotations;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where a resource carries annotations that Istio reads: its own metadata, and for controllers the
 * metadata of their pod template, which becomes the metadata of every pod they create.
 */
final class AnnotationSites {
  /**
   * One metadata block.
   *
   * @param kind the kind the annotations are applied to: the resource's kind, or Pod for a pod template
   * @param metadata the metadata node
   * @param path the path of the metadata node inside the resource
   * @param podTemplate whether this is a controller's pod template rather than a resource's own metadata
   */
  record Site(String kind, JsonNode metadata, FieldPath path, boolean podTemplate) {

    /** The annotations in document order, with their values as text. */
    void forEachAnnotation(AnnotationConsumer action) {
      JsonNode annotations = metadata.path("annotations");
      for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        action.accept(e.getKey(), e.getValue().asText(""), path.key("annotations").key(e.getKey()));
      }
    }

    boolean hasLabel(String name) {
      return metadata.path("labels").has(name);
    }
  }

  @FunctionalInterface
  interface AnnotationConsumer {
    void accept(String key, String value, FieldPath at);
  }

  private AnnotationSites() {}

  static List<Site> of(Resource resource) {
    List<Site> out = new ArrayList<>();
    JsonNode root = resource.tree();
    out.add(new Site(resource.kind(), root.path("metadata"), FieldPath.of("metadata"), false));
    FieldPath template = switch (resource.kind()) {
      case Kinds.CRON_JOB -> FieldPath.of("spec", "jobTemplate", "spec", "template");
      case Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB ->
          FieldPath.of("spec", "template");
      default -> null;
    };
    if (template != null) {
      JsonNode node = root;
      for (int i = 0; i < template.size(); i++) {
        node = node.path((String) template.segment(i));
      }
      out.add(new Site(Kinds.POD, node.path("metadata"), template.key("metadata"), true));
    }
    return out;
  }

  /** The known annotations on a site, with the catalogue entry for each. */
  static void forEachKnown(Site site, KnownConsumer action) {
    site.forEachAnnotation((key, value, at) -> {
      AnnotationCatalogue.Annotation known = AnnotationCatalogue.istio().find(key);
      if (known != null) {
        action.accept(known, value, at);
      }
    });
  }

  @FunctionalInterface
  interface KnownConsumer {
    void accept(AnnotationCatalogue.Annotation annotation, String value, FieldPath at);
  }
}
