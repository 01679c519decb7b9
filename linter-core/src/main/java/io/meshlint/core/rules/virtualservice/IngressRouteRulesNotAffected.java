package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Others;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

@RuleMeta(
    code = "IST0140",
    name = "IngressRouteRulesNotAffected",
    severity = Severity.WARNING,
    summary = "An ingress route bypasses the subset routing another VirtualService defines for its host.",
    description = """
        A gateway applies only the VirtualServices bound to it. When a VirtualService splits \
        traffic for a host into subsets (`reviews` v1/v2, a canary), and a VirtualService bound \
        to an ingress Gateway routes to that host without a `subset`, requests entering through \
        the gateway go to all of the host's pods, ignoring the split: the canary gets ingress \
        traffic it should not, or never gets any.

        meshlint reports, as `istioctl analyze` does, each http route destination without \
        `subset` of a VirtualService that names `gateways`, whose host (compared as written) is \
        routed to a subset by a VirtualService that defines that host. Unlike \
        `istioctl analyze`, a VirtualService is not reported against its own subset routes \
        (its rules apply at the gateway too), and each destination is reported once, naming the \
        VirtualServices with subsets (ten of them, then how many more).

        Fix: route the ingress VirtualService to the subsets as well, or bind the subset-routing \
        VirtualService to the gateway too.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class IngressRouteRulesNotAffected implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    if (!spec.path("gateways").isArray() || spec.path("gateways").isEmpty()) {
      return;
    }
    Trees.forEach(spec.path("http"), FieldPath.of("spec", "http"), (http, httpPath) ->
        Trees.forEach(http.path("route"), httpPath.key("route"), (route, routePath) -> {
          JsonNode destination = route.path("destination");
          if (!destination.path("subset").asText().isEmpty()) {
            return;
          }
          Set<ResourceKey> seen = new HashSet<>();
          seen.add(vs.key());
          Others others = new Others();
          for (Resource other : ctx.mesh().virtualServicesWithSubsetsFor(destination.path("host").asText())) {
            if (seen.add(other.key())) {
              others.add(() -> other.namespace() + "/" + other.name());
            }
          }
          if (!others.isEmpty()) {
            String subsets = others.count() == 1 ? "Subset in virtual service " + others.joined(", ") + " has"
                : "Subsets in virtual services " + others.joined(", ") + " have";
            ctx.report(routePath.then("destination.host"), subsets + " no effect on ingress gateway " + vs.namespace()
                + "/" + vs.name() + " requests");
          }
        }));
  }
}
