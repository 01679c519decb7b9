package io.meshlint.core.rules.destinationrule;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@RuleMeta(
    code = "IST0173",
    name = "DestinationRuleSubsetNotSelectPods",
    severity = Severity.ERROR,
    summary = "A DestinationRule subset selects no pod of its host.",
    description = """
        A subset's endpoints are the host's endpoints whose labels include the subset's labels. \
        When no pod carries them (a misspelt `version` label, a version not deployed yet), a route \
        to the subset has no endpoint and requests fail with 503 UH (no healthy upstream).

        meshlint reports, as `istioctl analyze` does, each subset of a DestinationRule whose host \
        is a Service (or ServiceEntry) among the inputs when no workload matches the Service's \
        selector (the ServiceEntry's `workloadSelector`) together with the subset's labels. Where \
        Istio looks only at Pods, meshlint also counts the pod templates of Deployments and other \
        controllers. Istio adds node topology labels (region, zone, hostname) to pods from the \
        Nodes they run on; manifests rarely hold Nodes, so meshlint ignores subset labels of these \
        keys instead of reporting them, except an empty value: Istio adds only the locality parts \
        a Node has, never an empty one, so a subset asking for an empty region selects no pod.

        Fix: give the subset the labels the workloads carry, or deploy the version it names.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET,
        Kinds.REPLICA_SET, Kinds.JOB, Kinds.CRON_JOB})
public final class DestinationRuleSubsetNotSelectPods implements Rule {
  private static final List<String> TOPOLOGY_LABELS = List.of("topology.kubernetes.io/region",
      "topology.kubernetes.io/zone", "topology.istio.io/subzone", "kubernetes.io/hostname");

  @Override
  public void check(Resource rule, RuleContext ctx) {
    JsonNode spec = rule.tree().path("spec");
    String host = spec.path("host").asText("");
    JsonNode subsets = spec.path("subsets");
    if (!subsets.isArray() || subsets.isEmpty() || host.isEmpty() || Hosts.isWildcard(host)) {
      return;
    }
    Endpoints endpoints = endpoints(ctx.mesh(), host, rule.namespace());
    if (endpoints == null) {
      return;
    }
    Trees.forEach(subsets, FieldPath.of("spec", "subsets"), (subset, path) -> {
      Map<String, String> selector = new HashMap<>(endpoints.selector());
      selector.putAll(Resource.stringMap(subset.path("labels")));
      TOPOLOGY_LABELS.forEach(key -> selector.computeIfPresent(key, (k, v) -> v.isEmpty() ? v : null));
      if (endpoints.ownEndpointLabels() != null && (selector.isEmpty()
          || endpoints.ownEndpointLabels().stream().anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet())))) {
        return;
      }
      if (ctx.mesh().workloadsMatching(endpoints.namespace(), selector).isEmpty()) {
        ctx.report(path.key("name"), "The Subset " + subset.path("name").asText() + " defined in the DestinationRule "
            + "does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).");
      }
    });
  }

  /**
   * How a host's endpoints are selected: by labels, among the workloads of one namespace, or, for a
   * ServiceEntry without workloadSelector, among the labels of its own endpoints (null otherwise).
   */
  private record Endpoints(String namespace, Map<String, String> selector, List<Map<String, String>> ownEndpointLabels) {}

  /**
   * The host's endpoints: a Service's selector or a ServiceEntry's workloadSelector, each selecting
   * workloads of its own namespace only; null when the inputs do not provide the host.
   */
  private static Endpoints endpoints(MeshView mesh, String host, String fromNamespace) {
    Resource service = mesh.service(host, fromNamespace);
    if (service != null) {
      return new Endpoints(service.namespace(), Resource.stringMap(service.tree().path("spec").path("selector")), null);
    }
    List<Resource> entries = mesh.serviceEntriesFor(host, fromNamespace);
    if (entries.isEmpty()) {
      return null;
    }
    JsonNode entry = entries.get(0).tree().path("spec");
    if (entry.has("workloadSelector")) {
      return new Endpoints(entries.get(0).namespace(), Resource.stringMap(entry.path("workloadSelector").path("labels")),
          null);
    }
    List<Map<String, String>> ownLabels = new ArrayList<>();
    entry.path("endpoints").forEach(endpoint -> ownLabels.add(Resource.stringMap(endpoint.path("labels"))));
    return new Endpoints(entries.get(0).namespace(), Map.of(), ownLabels);
  }
}
