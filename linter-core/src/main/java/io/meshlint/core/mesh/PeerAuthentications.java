package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import java.util.List;
import java.util.Map;

/**
 * The mTLS mode a workload's sidecar accepts on a port, with Istio's precedence: the oldest
 * PeerAuthentication selecting the workload (its {@code portLevelMtls} for the port, then its
 * {@code mtls}), then the oldest selector-less one of the namespace, then the mesh-wide one in the
 * root namespace; {@code UNSET} defers to the next, and PERMISSIVE is Istio's default.
 */
public final class PeerAuthentications {
  public static final String STRICT = "STRICT";
  public static final String PERMISSIVE = "PERMISSIVE";
  public static final String DISABLE = "DISABLE";

  private PeerAuthentications() {}

  /** The mode and the PeerAuthentication that set it (null for Istio's default). */
  public record Mode(String mode, Resource policy) {
    public String describe() {
      return policy == null ? "Istio's default " + mode
          : mode + " (PeerAuthentication " + policy.namespace() + "/" + policy.name() + ")";
    }
  }

  /** The mode for traffic to the workload's {@code port} (the port its container listens on; -1 when unknown). */
  public static Mode of(Workload workload, int port, MeshView mesh) {
    List<Resource> local = mesh.resourcesIn(Kinds.PEER_AUTHENTICATION, workload.namespace()).stream()
        .sorted(CreationOrder.OLDEST_FIRST).toList();
    for (Resource pa : local) {
      Map<String, String> selector = selector(pa);
      if (!selector.isEmpty() && workload.matches(selector)) {
        String mode = mode(pa.tree().path("spec").path("portLevelMtls").path(String.valueOf(port)));
        mode = mode != null ? mode : mode(pa.tree().path("spec").path("mtls"));
        if (mode != null) {
          return new Mode(mode, pa);
        }
        break;
      }
    }
    Mode namespaceWide = wide(local);
    if (namespaceWide != null) {
      return namespaceWide;
    }
    Mode meshWide = wide(mesh.resourcesIn(Kinds.PEER_AUTHENTICATION, mesh.meshConfig().rootNamespace()).stream()
        .sorted(CreationOrder.OLDEST_FIRST).toList());
    return meshWide != null ? meshWide : new Mode(PERMISSIVE, null);
  }

  private static Mode wide(List<Resource> policies) {
    for (Resource pa : policies) {
      if (selector(pa).isEmpty()) {
        String mode = mode(pa.tree().path("spec").path("mtls"));
        return mode == null ? null : new Mode(mode, pa);
      }
    }
    return null;
  }

  public static Map<String, String> selector(Resource pa) {
    return Resource.stringMap(pa.tree().path("spec").path("selector").path("matchLabels"));
  }

  /** The mode of a PeerAuthentication's own {@code mtls}, upper case; "" when it defers. */
  public static String ownMode(Resource pa) {
    String mode = mode(pa.tree().path("spec").path("mtls"));
    return mode == null ? "" : mode;
  }

  /** The mode an {@code mtls} block sets, upper case; null when it defers ({@code UNSET} or absent). */
  private static String mode(JsonNode mtls) {
    String mode = mtls.path("mode").asText("").toUpperCase(java.util.Locale.ROOT);
    return mode.isEmpty() || mode.equals("UNSET") ? null : mode;
  }
}
