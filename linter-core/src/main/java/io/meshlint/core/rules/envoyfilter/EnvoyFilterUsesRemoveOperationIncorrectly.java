package io.meshlint.core.rules.envoyfilter;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0154",
    name = "EnvoyFilterUsesRemoveOperationIncorrectly",
    severity = Severity.ERROR,
    summary = "An EnvoyFilter uses REMOVE on a route configuration or HTTP route, where it is ignored.",
    description = """
        Istio ignores a `REMOVE` patch whose `applyTo` is `ROUTE_CONFIGURATION` or `HTTP_ROUTE`, \
        as `istioctl analyze` reports: the configuration stays.

        meshlint reports such a patch at its `operation`.

        Fix: remove the route from the VirtualService that generates it, or stop generating the \
        route configuration (for example with a Sidecar that narrows the visible hosts).""",
    subjects = {Kinds.ENVOY_FILTER})
public final class EnvoyFilterUsesRemoveOperationIncorrectly implements Rule {

  @Override
  public void check(Resource filter, RuleContext ctx) {
    EnvoyFilterPatches.report(filter, EnvoyFilterPatches.REMOVE_MISUSED, "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.", ctx);
  }
}
