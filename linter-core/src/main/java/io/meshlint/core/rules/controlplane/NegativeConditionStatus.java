package io.meshlint.core.rules.controlplane;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0171",
    name = "NegativeConditionStatus",
    severity = Severity.WARNING,
    summary = "A Service, ServiceEntry or AuthorizationPolicy carries a status condition that is False.",
    description = """
        istiod writes status conditions on some resources, for example whether an ambient \
        waypoint is bound to a Service or ServiceEntry, or whether an AuthorizationPolicy was \
        accepted by its target. A condition with status `False` says the resource does not take \
        effect as intended; its reason and message say why.

        meshlint reports, as `istioctl analyze` does, each `status.conditions` entry with \
        `status: "False"` on the Services, ServiceEntries and AuthorizationPolicies among the \
        inputs; this matters for manifests exported from a cluster.

        Fix: follow the condition's message, then let istiod update the status.""",
    subjects = {Kinds.SERVICE, Kinds.SERVICE_ENTRY, Kinds.AUTHORIZATION_POLICY})
public final class NegativeConditionStatus implements Rule {
  @Override
  public void check(Resource subject, RuleContext ctx) {
    Trees.forEach(subject.tree().path("status").path("conditions"), FieldPath.of("status", "conditions"),
        (condition, path) -> {
          if ("False".equals(condition.path("status").asText())) {
            ctx.report(path, "A condition with a negative status is present: type=" + condition.path("type").asText("")
                + ", reason=" + condition.path("reason").asText("") + ", message="
                + condition.path("message").asText("") + ".");
          }
        });
  }
}
