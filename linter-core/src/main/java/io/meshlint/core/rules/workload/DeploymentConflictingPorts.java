package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

@RuleMeta(
    code = "IST0137",
    name = "DeploymentConflictingPorts",
    severity = Severity.WARNING,
    summary = "Services selecting one Deployment's pods send the same targetPort from different ports.",
    description = """
        Istio configures a sidecar's inbound listener per target port, taking the protocol and \
        settings of the Service port that leads to it. When two Services select the same pods and \
        map different `port` numbers to the same `targetPort`, the sidecar keeps one of them, so \
        traffic arriving through the other is treated with the wrong port's settings (protocol \
        sniffing, DestinationRule port settings, telemetry labels).

        meshlint reports, as `istioctl analyze` does, Deployments in the mesh (see IST0116 for \
        the test; waypoints are skipped) whose pod template is selected by several Services of \
        its namespace that send one `targetPort` (the `port` when `targetPort` is absent; a named \
        target port is compared by name) from different port numbers. The finding points at the \
        Deployment's name, once per target port.

        Fix: use the same `port` number for the target port in every Service, or distinct \
        target ports.""",
    subjects = {Kinds.DEPLOYMENT},
    reads = {Kinds.SERVICE, Kinds.NAMESPACE})
public final class DeploymentConflictingPorts implements Rule {

  @Override
  public void check(Resource deployment, RuleContext ctx) {
    if (MeshDeployments.isWaypoint(deployment) || !MeshDeployments.inMesh(deployment, ctx.mesh())) {
      return;
    }
    Map<String, Map<Integer, String>> byTargetPort = new TreeMap<>();
    for (Resource service : MeshDeployments.services(deployment, ctx.mesh())) {
      for (JsonNode port : service.tree().path("spec").path("ports")) {
        int number = port.path("port").asInt();
        String target = port.path("targetPort").asText("");
        if (target.isEmpty() || target.equals("0")) {
          target = Integer.toString(number);
        }
        byTargetPort.computeIfAbsent(target, t -> new TreeMap<>()).put(number, MeshDeployments.fullName(service));
      }
    }
    byTargetPort.forEach((target, ports) -> {
      if (ports.size() > 1) {
        ctx.report(FieldPath.of("metadata", "name"), "This deployment " + deployment.name()
            + " is associated with multiple services [" + String.join(" ", new TreeSet<>(ports.values()))
            + "] using targetPort \"" + target + "\" but different ports: "
            + ports.keySet().toString().replace(",", "") + ".");
      }
    });
  }
}
