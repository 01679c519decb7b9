package io.meshlint.core.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The parts of Istio's MeshConfig that the rules read, with Istio's defaults where a field is unset.
 * Read from {@code --mesh-config} or from the {@code mesh} key of the {@code istio} ConfigMap.
 */
public record MeshConfig(String outboundTrafficPolicy, String rootNamespace, String trustDomain, JsonNode raw) {
  public static final String ALLOW_ANY = "ALLOW_ANY";
  public static final String REGISTRY_ONLY = "REGISTRY_ONLY";
  public static final MeshConfig DEFAULT = new MeshConfig(ALLOW_ANY, "istio-system", "cluster.local", MissingNode.getInstance());

  /** Reads a bare MeshConfig tree; unset fields take Istio's defaults. */
  public static MeshConfig fromTree(JsonNode mesh) {
    String policy = mesh.path("outboundTrafficPolicy").path("mode").asText(ALLOW_ANY);
    String root = mesh.path("rootNamespace").asText(DEFAULT.rootNamespace);
    String trust = mesh.path("trustDomain").asText(DEFAULT.trustDomain);
    return new MeshConfig(policy.isEmpty() ? ALLOW_ANY : policy, root, trust, mesh);
  }

  public boolean registryOnly() {
    return REGISTRY_ONLY.equals(outboundTrafficPolicy);
  }
}
