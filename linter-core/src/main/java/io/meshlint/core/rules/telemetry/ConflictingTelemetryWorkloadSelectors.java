package io.meshlint.core.rules.telemetry;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0159",
    name = "ConflictingTelemetryWorkloadSelectors",
    severity = Severity.ERROR,
    summary = "Two Telemetry resources select the same workload.",
    description = """
        Within a namespace, a workload takes its metrics, tracing and access logging settings from \
        one Telemetry resource that selects it. When two Telemetries of a namespace both select a \
        workload, Istio applies only one of them (the oldest), so which providers and overrides the \
        workload gets depends on creation order.

        meshlint reports each Telemetry with a non-empty `selector.matchLabels` once when another \
        such Telemetry of its namespace also selects one of its workloads, naming those workloads (ten \
        of them, then how many more). Unlike `istioctl analyze`, which \
        looks at Pods only, meshlint also counts the pod templates of Deployments, StatefulSets, \
        DaemonSets, ReplicaSets, Jobs and CronJobs. The same Telemetry defined twice counts once.

        Fix: merge the Telemetries, or make their selectors disjoint.""",
    subjects = {Kinds.TELEMETRY},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class ConflictingTelemetryWorkloadSelectors implements Rule {

  @Override
  public void check(Resource telemetry, RuleContext ctx) {
    WorkloadSelectors.reportConflicts(telemetry, FieldPath.of("spec", "selector", "matchLabels"),
        t -> t.tree().path("spec").path("selector").path("matchLabels"), Kinds.TELEMETRY,
        "The Telemetries %s in namespace \"%s\" select the same workload %s, which can lead to undefined behavior.",
        ctx);
  }
}
