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

  /** The service account the pods run as: {@code serviceAccountName}, the deprecated {@code serviceAccount}, else {@code default}. */
  public String serviceAccount() {
    String name = podSpec.path("serviceAccountName").asText("");
    if (name.isEmpty()) {
      name = podSpec.path("serviceAccount").asText("");
    }
    return name.isEmpty() ? "default" : name;
  }
}
