package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
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
import java.util.List;

@RuleMeta(
    code = "MSH1001",
    name = "UnboundGatewayHost",
    severity = Severity.WARNING,
    summary = "A Gateway server host that no VirtualService bound to that Gateway serves.",
    description = """
        A Gateway only opens a port on the ingress proxy; requests for its hosts are routed only if \
        a VirtualService names the Gateway in `gateways` and lists a matching host. Without one, \
        the ingress answers 404 for that host, which looks like an application problem. It is the \
        usual result of a typo in a VirtualService's `gateways` or `hosts`, or of a VirtualService \
        in a namespace the host's `namespace/` prefix does not admit.

        Hosts match as Istio matches them: `*.example.com` on either side matches \
        `shop.example.com`, and `*` matches everything. Servers that only redirect to HTTPS \
        (`tls.httpsRedirect: true`) and `AUTO_PASSTHROUGH` servers need no VirtualService and are \
        skipped.

        Fix: bind a VirtualService (`gateways: [namespace/gateway-name]`, `hosts: [the host]`), or \
        remove the host from the Gateway.""",
    subjects = {Kinds.GATEWAY},
    reads = {Kinds.VIRTUAL_SERVICE})
public final class UnboundGatewayHost implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    GatewayRef ref = new GatewayRef(gateway.namespace(), gateway.name());
    List<Resource> bound = ctx.mesh().virtualServicesBoundTo(ref);
    Trees.forEach(gateway.tree().path("spec").path("servers"), FieldPath.of("spec", "servers"), (server, serverPath) -> {
      JsonNode tls = server.path("tls");
      if (tls.path("httpsRedirect").asBoolean(false) || "AUTO_PASSTHROUGH".equals(tls.path("mode").asText())) {
        return;
      }
      Trees.forEach(server.path("hosts"), serverPath.key("hosts"), (hostNode, hostPath) -> {
        GatewayHost host = GatewayHost.parse(hostNode.asText());
        if (!isServed(host, gateway.namespace(), bound)) {
          ctx.report(hostPath, "Gateway host \"" + hostNode.asText() + "\" on port "
              + server.path("port").path("number").asText("?") + " is not served by any VirtualService bound to gateway "
              + ref + ": requests for it get 404");
        }
      });
    });
  }

  private static boolean isServed(GatewayHost host, String gatewayNamespace, List<Resource> virtualServices) {
    for (Resource vs : virtualServices) {
      if (!host.admits(vs.namespace(), gatewayNamespace)) {
        continue;
      }
      for (JsonNode vsHost : vs.tree().path("spec").path("hosts")) {
        if (Hosts.intersect(host.host(), vsHost.asText())) {
          return true;
        }
      }
    }
    return false;
  }
}
