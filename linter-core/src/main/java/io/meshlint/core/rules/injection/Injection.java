package io.meshlint.core.rules.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

/** Istio's sidecar injection labels, shared by the injection rules. */
public final class Injection {
  /** Legacy namespace label: {@code enabled} or {@code disabled}. */
  public static final String NAMESPACE_LABEL = "istio-injection";
  /** Revision label: selects the control plane revision that injects. */
  public static final String REVISION_LABEL = "istio.io/rev";
  /** Pod label (and, for opting out, annotation): {@code "true"} or {@code "false"}. */
  public static final String POD_LABEL = "sidecar.istio.io/inject";
  /** Namespaces in the ambient data plane need no sidecar. */
  public static final String DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";

  /** The sidecar container's name. */
  public static final String PROXY_CONTAINER = "istio-proxy";
  /** Pod annotation that overrides the injector's proxy image. */
  public static final String PROXY_IMAGE_ANNOTATION = "sidecar.istio.io/proxyImage";

  public static final String ENABLED = "enabled";
  public static final String DISABLED = "disabled";

  private Injection() {}

  /** The revision label's value when set and not empty, else null. */
  public static String revision(Map<String, String> labels) {
    String rev = labels.get(REVISION_LABEL);
    return rev == null || rev.isEmpty() ? null : rev;
  }

  /** Where a finding about one label points: the label, else the labels map, else metadata. */
  public static FieldPath labelPath(Resource r, String label) {
    if (r.labels().containsKey(label)) {
      return FieldPath.of("metadata", "labels", label);
    }
    return r.tree().path("metadata").has("labels") ? FieldPath.of("metadata", "labels") : FieldPath.of("metadata");
  }

  /**
   * False only for workloads known to run without the mesh: without a sidecar
   * ({@link Workload#hasProxy}) and not in an ambient Namespace.
   */
  public static boolean inMesh(Workload w, Resource ns) {
    return w.hasProxy(ns) || (ns != null && "ambient".equals(ns.labels().get(DATAPLANE_MODE_LABEL)));
  }

  /**
   * The path of the {@code image} of the first {@code istio-proxy} container that asks for
   * {@code image: auto}, the placeholder that the injector replaces; null when there is none.
   */
  public static FieldPath autoImage(JsonNode podSpec, FieldPath podSpecPath) {
    JsonNode containers = podSpec.path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode c = containers.path(i);
      if (PROXY_CONTAINER.equals(c.path("name").asText()) && "auto".equals(c.path("image").asText())) {
        return podSpecPath.key("containers").index(i).key("image");
      }
    }
    return null;
  }

  /** True for a pod whose traffic the ambient data plane redirects, as the CNI marks it. */
  public static boolean inAmbientMode(Map<String, String> podAnnotations) {
    return "enabled".equals(podAnnotations.get("ambient.istio.io/redirection"));
  }

  /** True for a namespace in the ambient data plane; an injection label wins over it. */
  public static boolean inAmbientMode(Resource ns) {
    if (ns == null || ENABLED.equals(ns.labels().get(NAMESPACE_LABEL)) || revision(ns.labels()) != null) {
      return false;
    }
    return "ambient".equals(ns.labels().get(DATAPLANE_MODE_LABEL));
  }
}
