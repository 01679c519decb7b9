package io.meshlint.core.rules.sidecar;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.injection.Injection;

@RuleMeta(
    code = "IST0111",
    name = "MultipleSidecarsWithoutWorkloadSelectors",
    severity = Severity.ERROR,
    summary = "A namespace has more than one Sidecar resource without a workload selector.",
    description = """
        A Sidecar without `workloadSelector` is the default for every workload of its namespace (in \
        the root namespace, `istio-system` by default, for the whole mesh). A namespace can have only \
        one: with two, Istio uses one of them (the oldest) and ignores the other, so the proxies' \
        egress hosts and ports depend on creation order.

        meshlint reports each of the Sidecars of a namespace that have no `workloadSelector` field \
        when there are two or more, as `istioctl analyze` does (an empty `workloadSelector: {}` \
        counts as a selector). The same Sidecar defined twice counts once. In a namespace in ambient \
        mode no proxy reads them; IST0167 reports them instead.

        Fix: merge them into one default Sidecar, or give all but one a `workloadSelector`.""",
    subjects = {Kinds.SIDECAR},
    reads = {Kinds.NAMESPACE})
public final class MultipleSidecarsWithoutWorkloadSelectors implements Rule {

  @Override
  public void check(Resource sidecar, RuleContext ctx) {
    if (Injection.inAmbientMode(ctx.mesh().namespace(sidecar.namespace()))) {
      return;
    }
    WorkloadSelectors.reportMultipleDefaults(sidecar, s -> s.tree().path("spec").path("workloadSelector").isObject(),
        Kinds.SIDECAR, "The Sidecars %s in namespace \"%s\" have no workload selector, which can lead to undefined behavior.",
        ctx);
  }
}
