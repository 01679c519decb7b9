package io.meshlint.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

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

        meshlint reports each Gateway of the pair, at the first server that conflicts. Gateways \
        are grouped by their exact selector through the index, so this is not a scan of every pair.

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
    for (Resource other : ctx.mesh().gatewaysWithSelector(selectorKey)) {
      // A second definition of the same Gateway replaces the first when applied; it does not conflict.
      if (other.key().equals(gateway.key())) {
        continue;
      }
      JsonNode servers = gateway.tree().path("spec").path("servers");
      for (int i = 0; i < servers.size(); i++) {
        String overlap = overlap(servers.get(i), other.tree().path("spec").path("servers"));
        if (overlap != null) {
          JsonNode port = servers.get(i).path("port").path("number");
          ctx.report(FieldPath.of("spec", "servers", i, "port"), "Conflict with gateways " + other.namespace() + "/"
              + other.name() + " (workload selector " + selectorKey + ", port " + port.asText() + ", hosts " + overlap + ").");
          break;
        }
      }
    }
  }

  /** The first host of {@code server} that a server of {@code others} on the same port also claims, or null. */
  private static String overlap(JsonNode server, JsonNode others) {
    JsonNode port = server.path("port").path("number");
    for (JsonNode other : others) {
      if (!port.isNumber() || other.path("port").path("number").asInt(-1) != port.asInt()) {
        continue;
      }
      for (JsonNode a : server.path("hosts")) {
        for (JsonNode b : other.path("hosts")) {
          if (Hosts.intersect(GatewayHost.parse(a.asText()).host(), GatewayHost.parse(b.asText()).host())) {
            return a.asText();
          }
        }
      }
    }
    return null;
  }
}
