package io.meshlint.core.rules.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1027",
    name = "AllowPolicyRuleCoverage",
    severity = Severity.INFO,
    summary = "An ALLOW AuthorizationPolicy without rules (denies everything) or with an empty rule (allows everything).",
    description = """
        Two ALLOW policies that look almost alike do opposite things. Without `rules` (or with \
        `rules: []`) the policy matches no request, yet its mere presence switches the selected \
        workloads to deny-by-default: every request gets `403 RBAC: access denied` unless another \
        ALLOW policy admits it (Istio's "allow-nothing" policy). With an empty rule, \
        `rules: [{}]`, the rule matches every request: everything is allowed (Istio's \
        "allow-all" policy), which also overrides the deny-by-default other ALLOW policies set up.

        meshlint reports both, as information, on ALLOW policies (the default action) without a \
        `provider`, so the author sees which of the two was written. Both are legitimate when \
        intended.

        Fix: nothing when this is intended; otherwise add the rules that describe who may call \
        what, or remove the empty rule.""",
    subjects = {Kinds.AUTHORIZATION_POLICY})
public final class AllowPolicyRuleCoverage implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    JsonNode spec = policy.tree().path("spec");
    if (!spec.path("action").asText("ALLOW").equals("ALLOW") || spec.has("provider")) {
      return;
    }
    JsonNode rules = spec.path("rules");
    if (!rules.isArray() || rules.isEmpty()) {
      FieldPath at = rules.isArray() ? FieldPath.of("spec", "rules")
          : spec.isObject() ? FieldPath.of("spec") : FieldPath.of("metadata", "name");
      ctx.report(at, "ALLOW policy without rules: it matches no request, so every request to the selected "
          + "workloads is denied unless another ALLOW policy admits it");
      return;
    }
    Trees.forEach(rules, FieldPath.of("spec", "rules"), (rule, path) -> {
      if (rule.isObject() && rule.isEmpty()) {
        ctx.report(path, "Empty rule: it matches every request, so this ALLOW policy allows everything to the "
            + "selected workloads");
      }
    });
  }
}
