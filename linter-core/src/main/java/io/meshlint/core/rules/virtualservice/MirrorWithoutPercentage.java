package io.meshlint.core.rules.virtualservice;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "MSH1013",
    name = "MirrorWithoutPercentage",
    severity = Severity.INFO,
    summary = "A mirror without a percentage copies every request.",
    description = """
        Without `mirrorPercentage` (for `mirror`) or `percentage` (for each of `mirrors[]`), Istio \
        mirrors 100% of the route's traffic. The copies are fire-and-forget for the caller, but \
        the mirror target must take the full production load, and every request's side effects \
        happen there too. That may be what you want; meshlint reports it as information so the \
        choice is explicit.

        Fix: set the share, for example `mirrorPercentage: {value: 10}`; write \
        `mirrorPercentage: {value: 100}` when every request is meant.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class MirrorWithoutPercentage implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, path) -> {
      if (route.path("mirror").isObject() && !route.has("mirrorPercentage") && !route.has("mirrorPercent")) {
        ctx.report(path.key("mirror"), "mirror has no mirrorPercentage: every request of this route is copied");
      }
      Trees.forEach(route.path("mirrors"), path.key("mirrors"), (m, mPath) -> {
        if (!m.has("percentage")) {
          ctx.report(mPath, "mirror has no percentage: every request of this route is copied");
        }
      });
    });
  }
}
