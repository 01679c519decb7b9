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
    code = "MSH1050",
    name = "SingleDestinationWeight",
    severity = Severity.WARNING,
    summary = "A route with a single destination gives it a weight below 100, which Istio ignores.",
    description = """
        Weights split a route's traffic between its destinations. With one destination there is \
        nothing to split: Istio sends it all the traffic, whatever the weight says. A `weight: 10` \
        there is usually half of a canary release whose second destination was forgotten or \
        removed, and the "10%" rollout is in fact 100%.

        Fix: add the other destination(s) with their weights, or remove the weight.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    aliases = {"KIA1104"})
public final class SingleDestinationWeight implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), FieldPath.of("spec", protocol), (route, routePath) -> {
        JsonNode destinations = route.path("route");
        JsonNode weight = destinations.path(0).path("weight");
        if (destinations.size() == 1 && weight.isNumber() && weight.asInt() < 100) {
          ctx.report(routePath.key("route").index(0).key("weight"), "The only destination of this route has weight "
              + weight.asInt() + ": it receives all the traffic (100)");
        }
      });
    }
  }
}
