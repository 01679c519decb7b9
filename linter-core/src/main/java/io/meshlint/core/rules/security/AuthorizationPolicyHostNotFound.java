package io.meshlint.core.rules.security;

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

@RuleMeta(
    code = "MSH1042",
    name = "AuthorizationPolicyHostNotFound",
    severity = Severity.ERROR,
    summary = "An AuthorizationPolicy operation names a host that no Service or ServiceEntry provides.",
    description = """
        `to[].operation.hosts` and `notHosts` are matched against the request's Host (authority) \
        header. A host that no Service or visible ServiceEntry provides is usually a typo or a \
        renamed service: an ALLOW rule on it never allows (403), a DENY rule never denies.

        Hosts may carry a port (`reviews.default.svc.cluster.local:9080`); the port is ignored. \
        Wildcard hosts (`*.example.com`, `*`) are not checked. Short names are resolved in the \
        policy's namespace, but note that clients usually send the name they called, so list every \
        form your clients use. A host that a Gateway serves with a VirtualService bound to it (the \
        Host header at an ingress gateway, `bookinfo.example.com`) is a real host too.

        The severity is Kiali's for KIA0104: error.

        Fix the host, or add the ServiceEntry for an external host.""",
    subjects = {Kinds.AUTHORIZATION_POLICY},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.VIRTUAL_SERVICE, Kinds.GATEWAY},
    aliases = {"KIA0104"})
public final class AuthorizationPolicyHostNotFound implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    AuthorizationPolicies.forEachOperation(policy, (operation, path) -> {
      for (String field : new String[] {"hosts", "notHosts"}) {
        Trees.forEach(operation.path(field), path.key(field), (hostNode, hostPath) -> {
          String host = stripPort(hostNode.asText());
          if (!host.isEmpty() && !Hosts.isWildcard(host) && !ctx.mesh().hostResolves(host, policy.namespace())
              && !servedByGateway(host, ctx)) {
            ctx.report(hostPath, "Host \"" + hostNode.asText() + "\" has no matching entry in the service registry"
                + " (Service or ServiceEntry)");
          }
        });
      }
    });
  }

  /** True when a VirtualService bound to a Gateway among the inputs serves the host there. */
  private static boolean servedByGateway(String host, RuleContext ctx) {
    for (Resource vs : ctx.mesh().gatewayVirtualServicesIntersecting(host)) {
      if (!covers(vs.tree().path("spec").path("hosts"), host)) {
        continue;
      }
      for (JsonNode ref : vs.tree().path("spec").path("gateways")) {
        Resource gateway = ctx.mesh().gateway(GatewayRef.parse(ref.asText(), vs.namespace()));
        if (gateway == null) {
          continue;
        }
        for (JsonNode server : gateway.tree().path("spec").path("servers")) {
          for (JsonNode h : server.path("hosts")) {
            GatewayHost gatewayHost = GatewayHost.parse(h.asText());
            if (gatewayHost.admits(vs.namespace(), gateway.namespace()) && Hosts.covers(gatewayHost.host(), host)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static boolean covers(JsonNode hosts, String host) {
    for (JsonNode h : hosts) {
      if (Hosts.covers(h.asText(), host)) {
        return true;
      }
    }
    return false;
  }

  private static String stripPort(String host) {
    int colon = host.lastIndexOf(':');
    return colon > 0 && host.indexOf(']') < colon && host.substring(colon + 1).chars().allMatch(Character::isDigit)
        ? host.substring(0, colon) : host;
  }
}
