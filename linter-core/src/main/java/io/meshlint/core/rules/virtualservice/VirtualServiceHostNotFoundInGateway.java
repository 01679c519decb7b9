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
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;

@RuleMeta(
    code = "IST0132",
    name = "VirtualServiceHostNotFoundInGateway",
    severity = Severity.WARNING,
    summary = "A VirtualService binds a Gateway that serves none of its hosts.",
    description = """
        A VirtualService bound to a Gateway only receives requests for hosts that the Gateway also \
        serves; when none of its `hosts` is among them, the binding does nothing and its routes \
        never apply at that ingress. Usually the host was added to the VirtualService but not to \
        the Gateway, or the two spell it differently.

        meshlint reports, as `istioctl analyze` does, each Gateway in `gateways` (Istio's or a \
        Kubernetes Gateway) that serves none of the VirtualService's hosts, once per Gateway, also \
        when the Gateway does not exist (IST0101 reports that too). Hosts match as Istio matches \
        them, wildcards on either side; an Istio Gateway host's `namespace/` prefix must admit \
        the VirtualService's namespace, and a Kubernetes Gateway listener without `hostname` \
        serves every host. Like Istio, meshlint does not report a host of a VirtualService that \
        has another host the Gateway serves.

        Fix: add the host to a server of the Gateway, or remove it from the VirtualService.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.GATEWAY, VirtualServiceHostNotFoundInGateway.K8S_GATEWAY})
public final class VirtualServiceHostNotFoundInGateway implements Rule {
  static final String K8S_GATEWAY = "Gateway.gateway.networking.k8s.io";

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    List<String> hosts = new ArrayList<>();
    spec.path("hosts").forEach(h -> hosts.add(h.asText()));
    Trees.forEach(spec.path("gateways"), FieldPath.of("spec", "gateways"), (gatewayName, path) -> {
      String name = gatewayName.asText();
      if (name.equals(GatewayRef.MESH) || GatewayRef.isInternal(name)) {
        return;
      }
      GatewayRef ref = GatewayRef.parse(name, vs.namespace());
      // Specs only: a change to a Gateway's labels or annotations does not check its VirtualServices again.
      JsonNode gateway = ctx.mesh().gatewaySpec(ref);
      JsonNode kubernetes = gateway == null ? ctx.mesh().spec(K8S_GATEWAY, ref.namespace(), ref.name()) : null;
      boolean served = kubernetes != null ? kubernetesGatewayServes(kubernetes, hosts)
          : gateway != null && gatewayServes(gateway, ref.namespace(), hosts, vs.namespace());
      if (!served) {
        ctx.report(path, "one or more host " + WorkloadSelectors.goList(hosts) + " defined in VirtualService "
            + vs.namespace() + "/" + vs.name() + " not found in Gateway " + ref + ".");
      }
    });
  }

  private static boolean gatewayServes(JsonNode gatewaySpec, String gatewayNamespace, List<String> vsHosts,
      String vsNamespace) {
    for (JsonNode server : gatewaySpec.path("servers")) {
      for (JsonNode h : server.path("hosts")) {
        GatewayHost host = GatewayHost.parse(h.asText());
        if (host.admits(vsNamespace, gatewayNamespace) && vsHosts.stream().anyMatch(v -> Hosts.intersect(host.host(), v))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean kubernetesGatewayServes(JsonNode gatewaySpec, List<String> vsHosts) {
    for (JsonNode listener : gatewaySpec.path("listeners")) {
      String hostname = listener.path("hostname").asText("");
      if (hostname.isEmpty() || vsHosts.stream().anyMatch(v -> Hosts.intersect(hostname, v))) {
        return true;
      }
    }
    return false;
  }
}
