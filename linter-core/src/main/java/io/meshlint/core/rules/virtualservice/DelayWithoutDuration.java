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
    code = "MSH1011",
    name = "DelayWithoutDuration",
    severity = Severity.ERROR,
    summary = "A fault delay without fixedDelay, which Envoy rejects.",
    description = """
        Istio's validation accepts a `fault.delay` without `fixedDelay`, and passes it on to \
        Envoy as a fault delay without a duration. Envoy requires one: the proxy rejects the \
        route configuration that carries it (istiod logs the NACK), so none of the routing \
        changes for that port reach the proxy, which keeps serving its previous routes, or none \
        at all when it has just started.

        (An `abort` without `httpStatus`, `grpcStatus` or `http2Error` is dropped by Istio \
        instead; it is reported as IST0133.)

        Fix: add `fixedDelay` (for example `fixedDelay: 5s`), or remove the delay.""",
    subjects = {Kinds.VIRTUAL_SERVICE})
public final class DelayWithoutDuration implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Trees.forEach(vs.tree().path("spec").path("http"), FieldPath.of("spec", "http"), (route, path) -> {
      JsonNode delay = route.path("fault").path("delay");
      if (delay.isObject() && !delay.has("fixedDelay") && !delay.has("exponentialDelay")) {
        ctx.report(path.then("fault.delay"), "fault delay has no fixedDelay: Envoy rejects the route configuration");
      }
    });
  }
}
