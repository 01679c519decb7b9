package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.injection.Injection;
import java.util.List;
import java.util.Map;

/** What IST0116 and IST0137 share: whether a Deployment runs in the mesh, and the Services that select its pods. */
final class MeshDeployments {
  private MeshDeployments() {}

  /**
   * Istio's analyzers' test: an {@code istio-proxy} container with an image, else the pod template's
   * {@code sidecar.istio.io/inject} label or annotation, else the namespace's injection labels.
   */
  static boolean inMesh(Resource deployment, MeshView mesh) {
    JsonNode template = deployment.tree().path("spec").path("template");
    for (JsonNode c : template.path("spec").path("containers")) {
      if (c.path("name").asText().equals("istio-proxy") && !c.path("image").asText().isEmpty()) {
        return true;
      }
    }
    for (String field : new String[] {"labels", "annotations"}) {
      JsonNode inject = template.path("metadata").path(field).path(Injection.POD_LABEL);
      if (!inject.isMissingNode()) {
        return inject.asText().equals("true");
      }
    }
    Resource ns = mesh.namespace(deployment.namespace());
    if (ns == null) {
      return false;
    }
    String legacy = ns.labels().get(Injection.NAMESPACE_LABEL);
    return legacy != null ? legacy.equals(Injection.ENABLED) : Injection.revision(ns.labels()) != null;
  }

  static List<Resource> services(Resource deployment, MeshView mesh) {
    Map<String, String> labels = Resource.stringMap(deployment.tree().path("spec").path("template").path("metadata").path("labels"));
    return mesh.servicesSelecting(deployment.namespace(), labels);
  }

  static boolean isWaypoint(Resource deployment) {
    return "istio.io-mesh-controller".equals(deployment.labels().get("gateway.istio.io/managed"));
  }

  static String fullName(Resource r) {
    return r.namespace() + "/" + r.name();
  }
}
