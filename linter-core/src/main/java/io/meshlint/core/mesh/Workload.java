package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

/**
 * Pods as the mesh will run them: a Pod, or the pod template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job or CronJob.
 *
 * @param owner the Pod or controller
 * @param labels the pod's labels (the template's, for controllers)
 * @param annotations the pod's annotations
 * @param podSpec the pod spec's tree
 * @param podSpecPath where the pod spec sits inside the owner, for findings
 */
public record Workload(Resource owner, Map<String, String> labels, Map<String, String> annotations, JsonNode podSpec,
    FieldPath podSpecPath) {

  public String namespace() {
    return owner.namespace();
  }

  public boolean isPod() {
    return owner.kind().equals("Pod");
  }

  /** True when every label of the selector is on this workload; an empty selector matches all. */
  public boolean matches(Map<String, String> selector) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when the pods run an Istio proxy: an {@code istio-proxy} container (gateways, pods read
   * back from a cluster), else what injection decides: the pod's {@code sidecar.istio.io/inject}
   * label or annotation, else its namespace's {@code istio-injection=enabled} or {@code istio.io/rev}
   * label. Without the Namespace among the inputs ({@code namespace} null) injection is assumed, as
   * {@code istioctl analyze} assumes it on files.
   */
  public boolean hasProxy(Resource namespace) {
    for (JsonNode container : podSpec.path("containers")) {
      if ("istio-proxy".equals(container.path("name").asText())) {
        return true;
      }
    }
    String inject = labels.getOrDefault("sidecar.istio.io/inject", annotations.get("sidecar.istio.io/inject"));
    if (inject != null) {
      return inject.equals("true");
    }
    if (namespace == null) {
      return true;
    }
    String legacy = namespace.labels().get("istio-injection");
    return legacy != null ? legacy.equals("enabled") : !namespace.labels().getOrDefault("istio.io/rev", "").isEmpty();
  }

  /** The service account the pods run as: {@code serviceAccountName}, the deprecated {@code serviceAccount}, else {@code default}. */
  public String serviceAccount() {
    String name = podSpec.path("serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = podSpec.path("serviceAccount").asText("");
    }
    return name.isEmpty() ? "default" : name;
  }
}
