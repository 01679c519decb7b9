package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

@RuleMeta(
    code = "IST0116",
    name = "DeploymentAssociatedToMultipleServices",
    severity = Severity.WARNING,
    summary = "Services selecting one Deployment's pods use the same port number with different protocols.",
    description = """
        A sidecar builds one inbound listener per port of its pod. When two Services select the \
        same pods and both declare the same `port` number, one with `protocol: TCP` and the other \
        with `UDP` (or `SCTP`), the proxy cannot serve both: one Service's traffic on that port is \
        not handled as declared.

        meshlint reports, as `istioctl analyze` does, Deployments in the mesh (an `istio-proxy` \
        container, the pod template's `sidecar.istio.io/inject` label or annotation, else the \
        namespace's `istio-injection=enabled`; meshlint also counts a namespace `istio.io/rev` \
        label) whose pod template is selected by several Services of its namespace that share a \
        port number with different protocols (no protocol is TCP). Waypoint Deployments are \
        skipped. The finding points at the Deployment's name, once per port.

        Fix: give the Services distinct port numbers, or the same protocol.""",
    subjects = {Kinds.DEPLOYMENT},
    reads = {Kinds.SERVICE, Kinds.NAMESPACE})
public final class DeploymentAssociatedToMultipleServices implements Rule {

  @Override
  public void check(Resource deployment, RuleContext ctx) {
    if (MeshDeployments.isWaypoint(deployment) || !MeshDeployments.inMesh(deployment, ctx.mesh())) {
      return;
    }
    Map<Integer, Map<String, List<String>>> byPort = new TreeMap<>();
    for (Resource service : MeshDeployments.services(deployment, ctx.mesh())) {
      for (JsonNode port : service.tree().path("spec").path("ports")) {
        String protocol = port.path("protocol").asText("TCP");
        byPort.computeIfAbsent(port.path("port").asInt(), p -> new TreeMap<>())
            .computeIfAbsent(protocol.isEmpty() ? "TCP" : protocol, p -> new ArrayList<>())
            .add(MeshDeployments.fullName(service));
      }
    }
    byPort.forEach((port, protocols) -> {
      if (protocols.size() > 1) {
        TreeSet<String> names = new TreeSet<>();
        protocols.values().forEach(names::addAll);
        ctx.report(FieldPath.of("metadata", "name"), "This deployment " + deployment.name()
            + " is associated with multiple services using port " + port + " but different protocols: "
            + "[" + String.join(" ", names) + "]");
      }
    });
  }
}
