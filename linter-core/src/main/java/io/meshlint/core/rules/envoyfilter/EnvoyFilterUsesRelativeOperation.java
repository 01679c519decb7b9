package io.meshlint.core.rules.envoyfilter;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0151",
    name = "EnvoyFilterUsesRelativeOperation",
    severity = Severity.WARNING,
    summary = "An EnvoyFilter without a priority patches relative to configuration that may not exist yet.",
    description = """
        EnvoyFilters are applied in creation order unless `priority` says otherwise. A patch \
        relative to other configuration (insert before or after a filter, replace or remove it) \
        does nothing when what it refers to is added later, by another EnvoyFilter or \
        by Istio itself, so whether it takes effect depends on the order of creation.

        Relative operations, as Istio's analyzer defines them, are INSERT_BEFORE, INSERT_AFTER, \
        REPLACE of a network or HTTP filter, and REMOVE other than of a route configuration or \
        route; a MERGE is not one. meshlint decides each patch as `istioctl analyze` does, and reports at the \
        patch's `operation`. Istio stops at the first `configPatches` entry without a `patch`, and so \
        does meshlint. A relative patch of a filter that a `proxyVersion`-specific patch also \
        targets is IST0155 instead.

        Fix: set `spec.priority` so the filter applies after what it patches, or use an absolute \
        operation (`INSERT_FIRST`, `ADD`).""",
    subjects = {Kinds.ENVOY_FILTER})
public final class EnvoyFilterUsesRelativeOperation implements Rule {

  @Override
  public void check(Resource filter, RuleContext ctx) {
    EnvoyFilterPatches.report(filter, EnvoyFilterPatches.RELATIVE, "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.", ctx);
  }
}
