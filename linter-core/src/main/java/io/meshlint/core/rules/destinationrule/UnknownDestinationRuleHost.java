package io.meshlint.core.rules.destinationrule;

import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0174",
    name = "UnknownDestinationRuleHost",
    severity = Severity.WARNING,
    summary = "A DestinationRule's host matches no Service or ServiceEntry.",
    description = """
        A DestinationRule applies to traffic to its `host`. When no Service and no ServiceEntry \
        visible from the rule's namespace provides that host (a typo, a missing namespace suffix \
        for a Service in another namespace), its traffic policy and subsets apply to nothing.

        meshlint reports, as `istioctl analyze` does, a DestinationRule whose host no Service or \
        visible ServiceEntry among the inputs provides. Unlike `istioctl analyze`, a wildcard host \
        (`*.example.com`) is not reported: it is meant to cover hosts that may not be declared yet.

        Fix: correct the host (`reviews.prod.svc.cluster.local` for a Service in another \
        namespace), or declare the host with a ServiceEntry.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY})
public final class UnknownDestinationRuleHost implements Rule {
  @Override
  public void check(Resource rule, RuleContext ctx) {
    String host = rule.tree().path("spec").path("host").asText("");
    if (host.isEmpty() || Hosts.isWildcard(host) || ctx.mesh().hostResolves(host, rule.namespace())) {
      return;
    }
    ctx.report(FieldPath.of("spec", "host"),
        "The host " + host + " defined in the DestinationRule does not match any services in the mesh.");
  }
}
