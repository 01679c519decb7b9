package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

@RuleMeta(
    code = "IST0144",
    name = "InvalidApplicationUID",
    severity = Severity.WARNING,
    summary = "An application container runs as user ID 1337, which is reserved for the Istio proxy.",
    description = """
        The sidecar's iptables rules let traffic from UID 1337 (the proxy's own user) bypass the \
        proxy, so that the proxy's outbound connections are not captured again. An application \
        running as 1337 therefore bypasses the mesh too: its outbound calls get no mTLS, routing, \
        retries, authorization or telemetry.

        meshlint reports, as `istioctl analyze` does, each container's `securityContext.runAsUser: \
        1337`, except in the containers `istio-proxy` and `istio-operator` and in resources of the \
        control plane (labelled `istio`, or `release: istio`). A pod-level \
        `securityContext.runAsUser: 1337` is reported when some application container inherits it \
        (sets no `runAsUser` of its own); `istioctl analyze` reports it always, even on a gateway \
        whose only container is `istio-proxy`, which runs as 1337 by design. Unlike `istioctl \
        analyze`, which checks Pods and Deployments, meshlint also checks the pod templates of \
        StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.

        Fix: run the application under another user ID.""",
    subjects = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class InvalidApplicationUID implements Rule {
  private static final int PROXY_UID = 1337;
  private static final Set<String> ISTIO_CONTAINERS = Set.of("istio-proxy", "istio-operator");
  private static final String MESSAGE = "User ID (UID) 1337 is reserved for the sidecar proxy.";

  @Override
  public void check(Resource workload, RuleContext ctx) {
    if (workload.labels().containsKey("istio") || "istio".equals(workload.labels().get("release"))) {
      return;
    }
    Workload w = Workload.of(workload);
    if (w == null) {
      return;
    }
    FieldPath specPath = w.podSpecPath();
    JsonNode spec = w.podSpec();
    boolean podRunsAsProxy = spec.path("securityContext").path("runAsUser").asLong(0) == PROXY_UID;
    FieldPath containersPath = specPath.key("containers");
    List<FieldPath> containers = new ArrayList<>();
    Trees.forEach(spec.path("containers"), containersPath, (container, path) -> {
      if (!ISTIO_CONTAINERS.contains(container.path("name").asText())) {
        JsonNode runAsUser = container.path("securityContext").path("runAsUser");
        if (runAsUser.asLong(0) == PROXY_UID) {
          containers.add(path.then("securityContext.runAsUser"));
        } else if (runAsUser.isMissingNode() || runAsUser.isNull()) {
          containers.add(null);
        }
      }
    });
    // The pod's user ID matters only where an application container does not set its own.
    if (podRunsAsProxy && containers.contains(null)) {
      ctx.report(specPath.then("securityContext.runAsUser"), MESSAGE);
    }
    containers.stream().filter(java.util.Objects::nonNull).forEach(at -> ctx.report(at, MESSAGE));
  }
}
