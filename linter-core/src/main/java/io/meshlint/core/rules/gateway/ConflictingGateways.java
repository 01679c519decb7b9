package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
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
import java.util.HashSet;
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
        Gateways are indexed by selector, port and host, so this is a lookup, not a scan of every \
        pair.

        Fix: merge the servers into one Gateway, or give each Gateway distinct hosts or ports.""",
    subjects = {Kinds.GATEWAY})
public final class ConflictingGateways implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    JsonNode selector = gateway.tree().path("spec").path("selector");
    if (!selector.isObject() || selector.isEmpty()) {
      return;
    }
    String selectorKey = MeshIndex.selectorKey(selector);
    JsonNode servers = gateway.tree().path("spec").path("servers");
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
        for (Resource other : ctx.mesh().gatewaysClaiming(selectorKey, port.asInt(), name)) {
          // A second definition of the same Gateway replaces the first when applied; it does not conflict.
          if (!other.key().equals(gateway.key())) {
            conflicts = true;
            if (seen.add(other.key())) {
              others.add(() -> other.namespace() + "/" + other.name());
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
}
