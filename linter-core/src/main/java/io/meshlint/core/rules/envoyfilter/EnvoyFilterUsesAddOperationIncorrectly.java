package io.meshlint.core.rules.envoyfilter;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0153",
    name = "EnvoyFilterUsesAddOperationIncorrectly",
    severity = Severity.ERROR,
    summary = "An EnvoyFilter uses ADD on a route configuration or HTTP route, where it is ignored.",
    description = """
        Istio ignores an `ADD` patch whose `applyTo` is `ROUTE_CONFIGURATION` or `HTTP_ROUTE`: \
        route configurations are generated from VirtualServices, and routes are added to a \
        virtual host (`applyTo: VIRTUAL_HOST` with `MERGE`), so nothing is added.

        meshlint reports, as `istioctl analyze` does, such a patch at its `operation`.

        Fix: express the route in a VirtualService, or patch the enclosing object with `MERGE` \
        or `INSERT_BEFORE`/`INSERT_AFTER`/`INSERT_FIRST` on `HTTP_ROUTE`.""",
    subjects = {Kinds.ENVOY_FILTER})
public final class EnvoyFilterUsesAddOperationIncorrectly implements Rule {

  @Override
  public void check(Resource filter, RuleContext ctx) {
    EnvoyFilterPatches.report(filter, EnvoyFilterPatches.ADD_MISUSED, "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.", ctx);
  }
}
