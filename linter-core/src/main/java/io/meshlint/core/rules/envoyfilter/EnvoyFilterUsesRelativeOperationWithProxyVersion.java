package io.meshlint.core.rules.envoyfilter;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0155",
    name = "EnvoyFilterUsesRelativeOperationWithProxyVersion",
    severity = Severity.WARNING,
    summary = "An EnvoyFilter without a priority patches relative to a filter that a proxyVersion-specific patch also targets.",
    description = """
        A patch limited to some proxy versions (`match.proxy.proxyVersion`) stops applying when \
        the proxies are upgraded. A relative patch (insert before or after, merge, replace or \
        remove) on the same filter, without a `priority`, then no longer finds what it was \
        ordered against, so during an upgrade it silently stops taking effect.

        meshlint reports, at its `operation`, a relative patch of an EnvoyFilter without \
        `priority` whose filter name (the `name` in the patch value, else the matched filter \
        chain filter) is also the name of a patch that sets `proxyVersion`: an earlier patch of \
        the same EnvoyFilter, or a patch of another EnvoyFilter. `istioctl analyze` looks only at \
        EnvoyFilters it happened to process earlier, so its result depends on their order; \
        meshlint considers all of them. Such a patch gets this code instead of IST0151.

        Fix: set `spec.priority`, or use an absolute operation (`INSERT_FIRST`, `ADD`).""",
    subjects = {Kinds.ENVOY_FILTER})
public final class EnvoyFilterUsesRelativeOperationWithProxyVersion implements Rule {

  @Override
  public void check(Resource filter, RuleContext ctx) {
    EnvoyFilterPatches.report(filter, EnvoyFilterPatches.RELATIVE_WITH_PROXY_VERSION, "This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.", ctx);
  }
}
