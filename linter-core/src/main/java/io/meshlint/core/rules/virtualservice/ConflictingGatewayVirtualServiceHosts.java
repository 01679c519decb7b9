package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@RuleMeta(
    code = "MSH1004",
    name = "ConflictingGatewayVirtualServiceHosts",
    severity = Severity.WARNING,
    summary = "Several VirtualServices bound to the same Gateway define the same host.",
    description = """
        On a Gateway (unlike the `mesh` gateway, see IST0109), Istio merges the http routes of \
        every VirtualService bound to it for the same host into one list, in the VirtualServices' \
        creation order. The first route that matches wins, so a catch-all route (no `match`) or a \
        broad prefix in the older VirtualService hides the routes of the newer one, and which one \
        is older is decided by the cluster, not by the files: re-creating one VirtualService (a \
        redeploy, a restore) silently changes the routing of the host.

        meshlint reports each host of a VirtualService that another VirtualService (another name \
        or namespace) bound to the same Gateway also defines; hosts are compared as written, short \
        names made full Service names in the VirtualService's namespace.

        Fix: route each host of a Gateway from one VirtualService, or use VirtualService \
        delegation (`delegate`) to let teams own parts of the routes in a fixed order.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class ConflictingGatewayVirtualServiceHosts implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Set<GatewayRef> gateways = new LinkedHashSet<>();
    for (JsonNode g : vs.tree().path("spec").path("gateways")) {
      GatewayRef ref = GatewayRef.parse(g.asText(), vs.namespace());
      if (!ref.isMesh()) {
        gateways.add(ref);
      }
    }
    String domain = ctx.mesh().settings().clusterDomain();
    Trees.forEach(vs.tree().path("spec").path("hosts"), FieldPath.of("spec", "hosts"), (host, path) -> {
      String fqdn = Hosts.toFqdn(host.asText(), vs.namespace(), domain);
      for (GatewayRef gateway : gateways) {
        List<String> others = new ArrayList<>();
        for (Resource other : ctx.mesh().gatewayVirtualServicesForHost(gateway, fqdn)) {
          if (!other.key().equals(vs.key())) {
            others.add(other.namespace() + "/" + other.name());
          }
        }
        if (!others.isEmpty()) {
          ctx.report(path, "Host " + fqdn + " on gateway " + gateway + " is also defined by VirtualService(s) "
              + String.join(", ", others) + ": the gateway merges their routes in creation order, so the first "
              + "matching route depends on which VirtualService is older");
        }
      }
    });
  }
}
