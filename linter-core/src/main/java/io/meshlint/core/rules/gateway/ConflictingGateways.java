package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Others;
import io.meshlint.core.source.FieldPath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "IST0145",
    name = "ConflictingGateways",
    severity = Severity.ERROR,
    summary = "Two Gateways select the same workload and serve the same host on the same port.",
    description = """
        When two Gateways select the same ingress workload and both serve the same host on the \
        same port (and `bind` address), Istio keeps the first TLS server for that host and drops \
        the other ("skipping server on gateway ..., duplicate host names"), so the routes bound to \
        the dropped Gateway vanish, depending on which Gateway is older; plain HTTP servers share \
        one route table, where the routes of both Gateways' VirtualServices for that host compete.

        As `istioctl analyze` does, meshlint compares hosts as written: a Gateway for `*` and one \
        for `shop.example.com` on the same port do not conflict (Istio serves each host from the \
        server that names it most closely), nor do Gateways with different `bind` addresses.

        meshlint reports each Gateway of the pair, once for each server that conflicts, naming the \
        other Gateways (ten of them, then how many more) and the server's conflicting hosts. \
        Gateways with the same selector are indexed by selector, port and host, so this is a lookup, \
        not a scan of every pair. As in `istioctl analyze`, a Gateway whose selector adds labels to \
        another's (`istio: ingressgateway` and `istio: ingressgateway, team: a`) selects the same \
        workload when a Pod or pod template carries the labels of both.

        Fix: merge the servers into one Gateway, or give each Gateway distinct hosts or ports.""",
    subjects = {Kinds.GATEWAY},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class ConflictingGateways implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    JsonNode selector = gateway.tree().path("spec").path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      return;
    }
    String selectorKey = MeshIndex.selectorKey(selector);
    Map<String, String> labels = Resource.stringMap(selector);
    Map<String, Boolean> sharedWorkload = new HashMap<>();
    List<String> widerSelectors = MeshIndex.selectorSubsetKeys(selectorKey);
    JsonNode servers = gateway.tree().path("spec").path("servers");
    for (int i = 0; i < servers.size(); i++) {
      JsonNode port = servers.path(i).path("port").path("number");
      if (!port.isInt()) {
        continue;
      }
      String bind = servers.path(i).path("bind").asText("");
      Set<ResourceKey> seen = new HashSet<>();
      Others others = new Others();
      Others hosts = new Others();
      for (JsonNode host : servers.path(i).path("hosts")) {
        String serverKey = MeshIndex.serverKey(selectorKey, port.asText(), bind, host.asText());
        Set<Resource> claiming = new LinkedHashSet<>(ctx.mesh().gatewaysWithServer(serverKey));
        // Nested selectors, looked up both ways: wider ones by the subsets of ours, narrower ones by the index of subsets.
        for (String wider : widerSelectors) {
          addSharingAWorkload(ctx.mesh().gatewaysWithServer(MeshIndex.serverKey(wider, port.asText(), bind, host.asText())),
              labels, sharedWorkload, ctx, claiming);
        }
        addSharingAWorkload(ctx.mesh().gatewaysWithNarrowerSelectorAndServer(serverKey), labels, sharedWorkload, ctx,
            claiming);
        boolean conflicts = false;
        for (Resource other : claiming) {
          // A second definition of the same Gateway replaces the first when applied; it does not conflict.
          if (!other.key().equals(gateway.key())) {
            conflicts = true;
            if (seen.add(other.key())) {
              others.add(other.namespace() + "/" + other.name());
            }
          }
        }
        if (conflicts) {
          hosts.add(host.asText());
        }
      }
      if (!others.isEmpty()) {
        ctx.report(FieldPath.of("spec", "servers", i, "port"), "Conflict with gateways " + others.joined(", ")
            + " (workload selector " + selectorKey + ", port " + port.asText() + ", hosts " + hosts.joined(", ") + ").");
      }
    }
  }

  /**
   * Adds the Gateways of a nested selector that select a workload together with this one: Istio counts
   * them as the same workload only when a Pod or pod template carries both selectors' labels.
   */
  private static void addSharingAWorkload(List<Resource> candidates, Map<String, String> labels,
      Map<String, Boolean> sharedWorkload, RuleContext ctx, Set<Resource> claiming) {
    for (Resource other : candidates) {
      JsonNode theirs = other.tree().path("spec").path("selector");
      boolean shared = sharedWorkload.computeIfAbsent(MeshIndex.selectorKey(theirs), key -> {
        Map<String, String> both = new HashMap<>(labels);
        both.putAll(Resource.stringMap(theirs));
        return !ctx.mesh().workloadsMatching(null, both).isEmpty();
      });
      if (shared) {
        claiming.add(other);
      }
    }
  }
}
