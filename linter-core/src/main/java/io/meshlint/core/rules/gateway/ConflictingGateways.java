package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.Hosts;
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
import java.util.ArrayList;
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
    summary = "Two Gateways select the same workload and claim the same port and host.",
    description = """
        When two Gateways select the same ingress workload and both open the same port for an \
        overlapping host, the proxy receives two listeners for one address. Istio keeps one and \
        drops the other, so the routes bound to the dropped Gateway vanish, depending on which \
        Gateway is older.

        meshlint reports each Gateway of the pair, once for each server that conflicts, naming the \
        other Gateways (ten of them, then how many more) and the server's conflicting hosts. \
        Gateways with the same selector are indexed by selector, port and host, so this is a \
        lookup, not a scan of every pair. As in `istioctl analyze`, a Gateway whose selector adds \
        labels to another's (`istio: ingressgateway` and `istio: ingressgateway, team: a`) selects \
        the same workload when a Pod or pod template carries the labels of both.

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
    JsonNode servers = gateway.tree().path("spec").path("servers");
    List<Resource> nested = nestedSelectors(gateway, selector, ctx);
    for (int i = 0; i < servers.size(); i++) {
      JsonNode port = servers.path(i).path("port").path("number");
      if (!port.isInt()) {
        continue;
      }
      Set<ResourceKey> seen = new HashSet<>();
      Others others = new Others();
      Others hosts = new Others();
      for (JsonNode host : servers.path(i).path("hosts")) {
        String name = GatewayHost.parse(host.asText()).host();
        boolean conflicts = false;
        Set<Resource> claiming = new LinkedHashSet<>(ctx.mesh().gatewaysClaiming(selectorKey, port.asInt(), name));
        nested.stream().filter(g -> serves(g, port.asInt(), name)).forEach(claiming::add);
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
   * Gateways whose selector differs from this one's but contains it or is contained in it, and that
   * select a workload together with it.
   */
  private static List<Resource> nestedSelectors(Resource gateway, JsonNode selectorNode, RuleContext ctx) {
    Map<String, String> selector = Resource.stringMap(selectorNode);
    List<Resource> out = new ArrayList<>();
    for (Resource other : ctx.mesh().resources(Kinds.GATEWAY)) {
      Map<String, String> theirs = Resource.stringMap(other.tree().path("spec").path("selector"));
      if (theirs.isEmpty() || theirs.equals(selector) || other.key().equals(gateway.key())) {
        continue;
      }
      boolean nested = theirs.entrySet().containsAll(selector.entrySet()) || selector.entrySet().containsAll(theirs.entrySet());
      Map<String, String> both = new HashMap<>(selector);
      both.putAll(theirs);
      if (nested && !ctx.mesh().workloadsMatching(null, both).isEmpty()) {
        out.add(other);
      }
    }
    return out;
  }

  private static boolean serves(Resource gateway, int port, String host) {
    for (JsonNode server : gateway.tree().path("spec").path("servers")) {
      if (server.path("port").path("number").asInt(-1) == port) {
        for (JsonNode h : server.path("hosts")) {
          if (Hosts.intersect(GatewayHost.parse(h.asText()).host(), host)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
