package io.meshlint.core.rules.virtualservice;

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

@RuleMeta(
    code = "IST0132",
    name = "VirtualServiceHostNotFoundInGateway",
    severity = Severity.WARNING,
    summary = "A VirtualService host is not among the hosts of a Gateway it binds.",
    description = """
        A VirtualService bound to a Gateway only receives requests for hosts that the Gateway's \
        servers also list; for any other host in `hosts` the binding does nothing, so those routes \
        never apply at the ingress. Usually a host was added to the VirtualService but not to the \
        Gateway, or the two spell it differently.

        Hosts match as Istio matches them, wildcards on either side, and a Gateway host's \
        `namespace/` prefix must admit the VirtualService's namespace.

        Fix: add the host to a server of the Gateway, or remove it from the VirtualService.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.GATEWAY})
public final class VirtualServiceHostNotFoundInGateway implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    for (JsonNode gatewayName : spec.path("gateways")) {
      GatewayRef ref = GatewayRef.parse(gatewayName.asText(), vs.namespace());
      Resource gateway = GatewayRef.isInternal(gatewayName.asText()) ? null : ctx.mesh().gateway(ref);
      if (gateway == null) {
        continue;
      }
      Trees.forEach(spec.path("hosts"), FieldPath.of("spec", "hosts"), (host, hostPath) -> {
        if (!gatewayHasHost(gateway, host.asText(), vs.namespace())) {
          ctx.report(hostPath, "one or more host [" + host.asText() + "] defined in VirtualService " + vs.namespace()
              + "/" + vs.name() + " not found in Gateway " + ref + ".");
        }
      });
    }
  }

  private static boolean gatewayHasHost(Resource gateway, String vsHost, String vsNamespace) {
    for (JsonNode server : gateway.tree().path("spec").path("servers")) {
      for (JsonNode h : server.path("hosts")) {
        GatewayHost host = GatewayHost.parse(h.asText());
        if (host.admits(vsNamespace, gateway.namespace()) && Hosts.intersect(host.host(), vsHost)) {
          return true;
        }
      }
    }
    return false;
  }
}
