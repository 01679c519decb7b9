package io.meshlint.core.rules.virtualservice;

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
    code = "MSH1009",
    name = "FaultWithoutPercentage",
    severity = Severity.WARNING,
    summary = "A fault abort or delay without a percentage, which Istio never injects.",
    description = """
        Istio's reference has long said that an `abort` without `percentage` aborts every request. \
        It does not: Istio passes no percentage to Envoy, whose default is 0%, so the fault is \
        never injected (istio/istio#36303, #39969; the maintainers chose to fix the docs). A \
        resilience test built on it passes without testing anything, and a team that relies on \
        the docs may believe a route is failing on purpose when it is not, or the other way round \
        once the docs and code agree.

        meshlint reports every `http[].fault.abort` and `fault.delay` without `percentage` (nor \
        the deprecated integer `percent`).

        Fix: state the share explicitly, `percentage: {value: 100}` for every request, or a smaller \
        value; limit it to test traffic with a `match` (a header your tests send).""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class FaultWithoutPercentage implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, path) -> {
      for (String kind : new String[] {"abort", "delay"}) {
        JsonNode fault = route.path("fault").path(kind);
        if (fault.isObject() && !fault.has("percentage") && !fault.has("percent")) {
          ctx.report(path.key("fault").key(kind), "fault " + kind + " has no percentage: Envoy's default is 0%, "
              + "so it is never injected; set percentage.value (100 for every request)");
        }
      }
    });
  }
}
