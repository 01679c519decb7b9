package io.meshlint.core.rules.envoyfilter;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;

@RuleMeta(
    code = "IST0152",
    name = "EnvoyFilterUsesReplaceOperationIncorrectly",
    severity = Severity.ERROR,
    summary = "An EnvoyFilter uses REPLACE where Envoy configuration cannot be replaced.",
    description = """
        Istio applies `REPLACE` only to network and HTTP filters and to virtual hosts. On any \
        other `applyTo` (a listener, cluster, route configuration, ...) the patch is ignored and \
        the configuration stays as it was.

        meshlint reports, as `istioctl analyze` does, a `REPLACE` patch whose `applyTo` is not \
        `HTTP_FILTER`, `NETWORK_FILTER` or `VIRTUAL_HOST`, at the patch's `operation`.

        Fix: use `MERGE` to change the object, or `REMOVE` and `ADD` to swap it.""",
    subjects = {Kinds.ENVOY_FILTER})
public final class EnvoyFilterUsesReplaceOperationIncorrectly implements Rule {

  @Override
  public void check(Resource filter, RuleContext ctx) {
    EnvoyFilterPatches.report(filter, EnvoyFilterPatches.REPLACE_MISUSED, "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.", ctx);
  }
}
