package io.meshlint.core.rules.sidecar;

import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "IST0167",
    name = "IneffectivePolicy",
    severity = Severity.WARNING,
    summary = "A Sidecar resource applies to workloads in ambient mode, which run no sidecar.",
    description = """
        A Sidecar resource configures sidecar proxies. Workloads in the ambient data plane have \
        none (ztunnel and waypoints carry their traffic), so a Sidecar that applies to them has no \
        effect: the egress restrictions or ingress ports it declares are not enforced.

        meshlint reports, as `istioctl analyze` does:
        - a Sidecar without workload selector (no `workloadSelector` labels) in a Namespace among \
        the inputs labelled `istio.io/dataplane-mode=ambient` and not labelled for injection \
        (`istio-injection=enabled` or `istio.io/rev`);
        - a Sidecar whose `workloadSelector.labels` select, in its namespace, a pod annotated \
        `ambient.istio.io/redirection: enabled` (as the ambient CNI marks the pods it captures). \
        Unlike `istioctl analyze`, which looks at Pods only, meshlint also counts pod templates \
        that carry the annotation, like its other selector checks (a deliberate improvement; the \
        CNI itself annotates running pods only).

        Fix: delete the Sidecar if the workloads moved to ambient mode for good; in ambient mode, \
        configure waypoints and policies with `targetRefs` instead.""",
    subjects = {Kinds.SIDECAR},
    reads = {Kinds.NAMESPACE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class IneffectivePolicy implements Rule {

  @Override
  public void check(Resource sidecar, RuleContext ctx) {
    Map<String, String> selector = Resource.stringMap(sidecar.tree().path("spec").path("workloadSelector").path("labels"));
    String reason = null;
    FieldPath at = FieldPath.of("spec", "workloadSelector", "labels");
    if (selector.isEmpty()) {
      if (Injection.inAmbientMode(ctx.mesh().namespace(sidecar.namespace()))) {
        reason = "namespace is in ambient mode, the policy has no impact";
        at = FieldPath.of("metadata", "name");
      }
    } else {
      for (Workload w : ctx.mesh().workloadsMatching(sidecar.namespace(), selector)) {
        if (Injection.inAmbientMode(w.annotations())) {
          reason = "selected workload is in ambient mode, the policy has no impact";
          break;
        }
      }
    }
    if (reason != null) {
      ctx.report(at, "The policy has no impact: " + reason + ".");
    }
  }
}
