package io.meshlint.core.rules.mtls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.mesh.PeerAuthentications;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.rules.workload.WorkloadPorts;
import io.meshlint.core.source.FieldPath;
import java.util.List;
import java.util.Map;

@RuleMeta(
    code = "MSH1022",
    name = "PortLevelMtlsOnUnexposedPort",
    severity = Severity.WARNING,
    summary = "A PeerAuthentication sets port-level mTLS on a port its workloads do not expose.",
    description = """
        `portLevelMtls` keys are the workload's own (container) ports, not Service ports. A key \
        that no selected workload exposes changes nothing: the workload keeps the policy-wide \
        mode on the port it really listens on. The usual cause is writing the Service port (80) \
        where the container port (8080) was meant, so a port you meant to open to plain text \
        (a metrics scraper, a legacy client) still requires mTLS, or one you meant to lock down \
        stays permissive.

        meshlint reports `portLevelMtls` keys of PeerAuthentications with a selector when some \
        workload matches it (Pods and pod templates of controllers alike) and none of them \
        exposes the port: no container declares it as `containerPort`, and no \
        Service selecting the workload sends to it as `targetPort` (named target ports resolved \
        through the containers). Policies without a selector are not checked here (Istio \
        ignores their port-level settings).

        Fix: key the setting by the container port (the Service's `targetPort`), or remove it.""",
    subjects = {Kinds.PEER_AUTHENTICATION},
    reads = {Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class PortLevelMtlsOnUnexposedPort implements Rule {

  @Override
  public void check(Resource policy, RuleContext ctx) {
    Map<String, String> selector = PeerAuthentications.selector(policy);
    JsonNode portLevel = policy.tree().path("spec").path("portLevelMtls");
    if (selector.isEmpty() || !portLevel.isObject() || portLevel.isEmpty()) {
      return;
    }
    MeshView mesh = ctx.mesh();
    List<Workload> workloads = mesh.workloadsMatching(policy.namespace(), selector);
    if (workloads.isEmpty()) {
      return;
    }
    portLevel.fieldNames().forEachRemaining(key -> {
      int port = parsePort(key);
      if (port > 0 && workloads.stream().noneMatch(w -> exposes(w, port, mesh))) {
        ctx.report(FieldPath.of("spec", "portLevelMtls", key), "Port " + port + " is not a port of the "
            + "selected workloads " + WorkloadSelectors.goList(workloads.stream().map(WorkloadSelectors::workloadName)
            .toList()) + " (portLevelMtls takes container ports, not Service ports): this setting has no effect");
      }
    });
  }

  private static int parsePort(String key) {
    try {
      return Integer.parseInt(key);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean exposes(Workload w, int port, MeshView mesh) {
    if (WorkloadPorts.exposes(w, IntNode.valueOf(port))) {
      return true;
    }
    for (Resource service : mesh.servicesSelecting(w.namespace(), w.labels())) {
      for (JsonNode servicePort : service.tree().path("spec").path("ports")) {
        if (WorkloadPorts.targetPortNumber(servicePort, w) == port) {
          return true;
        }
      }
    }
    return false;
  }
}
