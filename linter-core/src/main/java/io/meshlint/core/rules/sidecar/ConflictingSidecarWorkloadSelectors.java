package io.meshlint.core.rules.sidecar;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0110",
    name = "ConflictingSidecarWorkloadSelectors",
    severity = Severity.ERROR,
    summary = "Two Sidecar resources select the same workload.",
    description = """
        A proxy takes its egress and ingress configuration from exactly one Sidecar resource. When \
        two Sidecars of a namespace both select a workload with their `workloadSelector`, Istio \
        picks one of them (the oldest) and ignores the other, so which hosts the workload can reach \
        and which ports it listens on depends on creation order.

        meshlint reports each Sidecar with a non-empty `workloadSelector.labels` once when another \
        such Sidecar of its namespace also selects one of its workloads, naming those workloads (ten \
        of them, then how many more). Unlike `istioctl analyze`, which \
        looks at Pods only, meshlint also counts the pod templates of Deployments, StatefulSets, \
        DaemonSets, ReplicaSets, Jobs and CronJobs. The same Sidecar defined twice counts once. \
        Pods in ambient mode run no sidecar; IST0167 reports the Sidecars that select them.

        Fix: merge the Sidecars, or make their selectors disjoint (for example by adding a label \
        that only one workload carries).""",
    subjects = {Kinds.SIDECAR},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class ConflictingSidecarWorkloadSelectors implements Rule {

  @Override
  public void check(Resource sidecar, RuleContext ctx) {
    WorkloadSelectors.reportConflicts(sidecar, FieldPath.of("spec", "workloadSelector", "labels"),
        s -> s.tree().path("spec").path("workloadSelector").path("labels"), Kinds.SIDECAR,
        "The Sidecars %s in namespace \"%s\" select the same workload %s, which can lead to undefined behavior.",
        w -> Injection.inAmbientMode(w.annotations()), ctx);
  }
}
