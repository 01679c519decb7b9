package io.meshlint.core.rules.controlplane;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "IST0126",
    name = "UnknownMeshNetworksServiceRegistry",
    severity = Severity.ERROR,
    summary = "A mesh network takes its endpoints from a service registry that Istio does not know.",
    description = """
        An endpoint of a network in MeshNetworks with `fromRegistry` names the registry (the \
        cluster) whose endpoints belong to that network. istiod knows its own registries \
        (`Kubernetes`, `External`, `Mock`) and the clusters of the remote secrets (Secrets \
        labelled `istio/multiCluster: "true"`, one cluster per data key); a registry it does not \
        know adds no endpoint to the network, so cross-network traffic to that cluster has no \
        gateway to go through.

        meshlint reads the mesh networks from `--mesh-networks` or the `meshNetworks` key of the \
        `istio` ConfigMap among the inputs, and reports each endpoint whose `fromRegistry` is \
        none of those, on `MeshNetworks istio-system/meshnetworks` as `istioctl analyze` does.

        Fix: name the cluster ID the remote secret declares, or add the remote secret to the \
        inputs.""",
    subjects = {Kinds.MESH_NETWORKS},
    reads = {Kinds.SECRET})
public final class UnknownMeshNetworksServiceRegistry implements Rule {
  private static final Set<String> BUILT_IN_REGISTRIES = Set.of("Kubernetes", "External", "Mock");
  static final String MULTI_CLUSTER_LABEL = "istio/multiCluster";

  @Override
  public void check(Resource meshNetworks, RuleContext ctx) {
    Set<String> known = new HashSet<>(BUILT_IN_REGISTRIES);
    for (Resource secret : ctx.mesh().resources(Kinds.SECRET)) {
      if ("true".equals(secret.labels().get(MULTI_CLUSTER_LABEL))) {
        secret.tree().path("data").fieldNames().forEachRemaining(known::add);
        secret.tree().path("stringData").fieldNames().forEachRemaining(known::add);
      }
    }
    meshNetworks.tree().path("networks").fields().forEachRemaining(network -> {
      FieldPath networkPath = FieldPath.of("networks", network.getKey());
      Trees.forEach(network.getValue().path("endpoints"), networkPath.key("endpoints"), (endpoint, path) -> {
        String registry = endpoint.path("fromRegistry").asText(null);
        if (registry != null && !known.contains(registry)) {
          ctx.report(path.key("fromRegistry"),
              "Unknown service registry " + registry + " in network " + network.getKey());
        }
      });
    });
  }
}
