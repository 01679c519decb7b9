package io.meshlint.core.mesh;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.List;
import java.util.Map;

/** Which Sidecar resource scopes a workload's proxy, with Istio's precedence. */
public final class Sidecars {
  private Sidecars() {}

  /**
   * The Sidecar that applies to a workload: the oldest of its namespace whose
   * {@code workloadSelector} matches the labels, else the namespace's oldest selector-less one, else
   * the root namespace's; null when none. {@code labels} null stands for any workload of the
   * namespace: Sidecars with a selector are then passed over.
   */
  public static Resource applying(String namespace, Map<String, String> labels, MeshView mesh) {
    List<Resource> local = mesh.resourcesIn(Kinds.SIDECAR, namespace).stream().sorted(CreationOrder.OLDEST_FIRST).toList();
    if (labels != null) {
      for (Resource s : local) {
        Map<String, String> selector = selector(s);
        if (!selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
          return s;
        }
      }
    }
    String root = mesh.meshConfig().rootNamespace();
    for (String ns : namespace.equals(root) ? new String[] {namespace} : new String[] {namespace, root}) {
      List<Resource> candidates = ns.equals(namespace) ? local
          : mesh.resourcesIn(Kinds.SIDECAR, ns).stream().sorted(CreationOrder.OLDEST_FIRST).toList();
      for (Resource s : candidates) {
        if (selector(s).isEmpty()) {
          return s;
        }
      }
    }
    return null;
  }

  private static Map<String, String> selector(Resource sidecar) {
    return Resource.stringMap(sidecar.tree().path("spec").path("workloadSelector").path("labels"));
  }
}
