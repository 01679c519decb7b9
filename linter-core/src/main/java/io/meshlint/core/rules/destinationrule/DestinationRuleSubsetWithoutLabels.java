package io.meshlint.core.rules.destinationrule;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1043",
    name = "DestinationRuleSubsetWithoutLabels",
    severity = Severity.INFO,
    summary = "A DestinationRule subset has no labels, so it selects every endpoint of the host.",
    description = """
        A subset is the set of the host's endpoints whose labels match the subset's `labels`. \
        Without labels it matches all of them: a canary split such as 90% to `v1` and 10% to `v2` \
        sends both shares to every version, and the release is not isolated at all.

        The severity is Kiali's for KIA0209: info.

        Fix: give the subset the labels of its version (`labels: {version: v2}`), or drop the \
        subset and route to the host.""",
    subjects = {Kinds.DESTINATION_RULE},
    aliases = {"KIA0209"})
public final class DestinationRuleSubsetWithoutLabels implements Rule {

  @Override
  public void check(Resource rule, RuleContext ctx) {
    Trees.forEach(rule.tree().path("spec").path("subsets"), FieldPath.of("spec", "subsets"), (subset, path) -> {
      if (Resource.stringMap(subset.path("labels")).isEmpty()) {
        ctx.report(path, "Subset \"" + subset.path("name").asText() + "\" has no labels: it selects every endpoint"
            + " of host " + rule.tree().path("spec").path("host").asText());
      }
    });
  }
}
