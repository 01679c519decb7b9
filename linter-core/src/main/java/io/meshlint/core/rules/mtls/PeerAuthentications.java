package io.meshlint.core.rules.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.Map;

/**
 * The mTLS mode a workload's sidecar accepts, with Istio's precedence: the workload's own
 * PeerAuthentication (its port-level setting first), then its namespace's, then the mesh-wide one in
 * the root namespace; {@code UNSET} defers to the next, and PERMISSIVE is Istio's default.
 */
public final class PeerAuthentications {
  public static final String STRICT = "STRICT";
  public static final String DISABLE = "DISABLE";
  public static final String PERMISSIVE = "PERMISSIVE";

  /** The effective mode, and the policy that decided it (null for Istio's default). */
  public record Mode(String mode, Resource policy) {
    public String describe() {
      return policy == null ? "Istio's default " + mode
          : mode + " (PeerAuthentication " + policy.namespace() + "/" + policy.name() + ")";
    }
  }

  private PeerAuthentications() {}

  /** The mode for traffic to {@code port} of the workload; port -1 when unknown. */
  public static Mode effective(Workload w, int port, MeshView mesh) {
    Resource workloadPolicy = null;
    Resource namespacePolicy = null;
    for (Resource pa : mesh.resourcesIn(Kinds.PEER_AUTHENTICATION, w.namespace())) {
      Map<String, String> selector = selector(pa);
      if (selector.isEmpty()) {
        namespacePolicy = namespacePolicy == null ? pa : namespacePolicy;
      } else if (workloadPolicy == null && w.matches(selector)) {
        workloadPolicy = pa;
      }
    }
    if (workloadPolicy != null) {
      String mode = mode(workloadPolicy.tree().path("spec").path("portLevelMtls").path(String.valueOf(port)));
      if (mode == null) {
        mode = mode(workloadPolicy.tree().path("spec").path("mtls"));
      }
      if (mode != null) {
        return new Mode(mode, workloadPolicy);
      }
    }
    String root = mesh.meshConfig().rootNamespace();
    for (Resource pa : new Resource[] {namespacePolicy, meshPolicy(root, mesh)}) {
      String mode = pa == null ? null : mode(pa.tree().path("spec").path("mtls"));
      if (mode != null) {
        return new Mode(mode, pa);
      }
    }
    return new Mode(PERMISSIVE, null);
  }

  public static Map<String, String> selector(Resource pa) {
    return Resource.stringMap(pa.tree().path("spec").path("selector").path("matchLabels"));
  }

  private static Resource meshPolicy(String root, MeshView mesh) {
    for (Resource pa : mesh.resourcesIn(Kinds.PEER_AUTHENTICATION, root)) {
      if (selector(pa).isEmpty()) {
        return pa;
      }
    }
    return null;
  }

  /** The mode an {@code mtls} block sets, null when it defers ({@code UNSET} or absent). */
  private static String mode(JsonNode mtls) {
    String mode = mtls.path("mode").asText("UNSET");
    return mode.equals("UNSET") || mode.isEmpty() ? null : mode;
  }
}
