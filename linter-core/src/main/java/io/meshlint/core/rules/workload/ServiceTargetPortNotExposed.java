package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.DefaultIngressGateway;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.rules.common.WorkloadSelectors;
import io.meshlint.core.source.FieldPath;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

@RuleMeta(
    code = "MSH1030",
    name = "ServiceTargetPortNotExposed",
    severity = Severity.WARNING,
    summary = "A Service's `targetPort` is a port that no container of the selected workloads exposes.",
    description = """
        A Service forwards each port to its `targetPort` on the selected pods (to `port` when \
        `targetPort` is unset). A named `targetPort` that no container declares leaves the Service \
        without endpoints for that port: Istio has nothing to route to, and clients get `503 no \
        healthy upstream`. A numeric `targetPort` that the containers do not listen on sends \
        traffic to a closed port: `503 upstream connect error ... connection refused`. Both \
        usually come from a port renamed or renumbered in the Deployment but not in the Service.

        meshlint looks at the workloads the Service's selector matches in its namespace (Pods and \
        pod templates of controllers alike) and reports:
        - as an error, a named `targetPort` that no container of any of them declares by `name`;
        - as a warning, a numeric `targetPort` (or `port`, without `targetPort`) that none of \
        them declares as `containerPort`, when every one of them declares its ports (a container \
        may listen on a port it does not declare, so workloads without declared ports are given \
        the benefit of the doubt, and so is a port that a container's `command` or `args` name, \
        as in `--port 18080` or `--listen=:18080`).
        Services without a selector, of type ExternalName, or whose selector matches no workload \
        among the inputs are not checked, nor Services of the assumed default ingress gateway \
        (whose ports meshlint cannot know) or of gateways whose only container is an \
        `istio-proxy` that declares no ports (injection adds them).

        Fix: point `targetPort` at the container port (by its number or its `name`), or declare \
        the port on the container.""",
    subjects = {Kinds.SERVICE},
    reads = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB})
public final class ServiceTargetPortNotExposed implements Rule {

  @Override
  public void check(Resource service, RuleContext ctx) {
    JsonNode spec = service.tree().path("spec");
    if (!service.group().isEmpty() || ServicePorts.isExternalName(service)) {
      return;
    }
    Map<String, String> selector = Resource.stringMap(spec.path("selector"));
    if (selector.isEmpty()) {
      return;
    }
    List<Workload> workloads = ctx.mesh().workloadsMatching(service.namespace(), selector);
    // The assumed default gateway's ports are a guess, and a gateway whose only container is the
    // injected proxy gets its ports from the injection template: neither is there to compare with.
    if (workloads.isEmpty() || workloads.stream().anyMatch(w -> DefaultIngressGateway.isAssumed(w.owner()))
        || workloads.stream().allMatch(w -> onlyProxy(w) && !WorkloadPorts.declaresPorts(w))) {
      return;
    }
    Trees.forEach(spec.path("ports"), FieldPath.of("spec", "ports"), (port, path) -> {
      JsonNode target = WorkloadPorts.targetPort(port);
      FieldPath at = port.has("targetPort") ? path.key("targetPort") : path;
      if (workloads.stream().anyMatch(w -> WorkloadPorts.exposes(w, target))) {
        return;
      }
      String names = WorkloadSelectors.goList(workloads.stream().map(WorkloadSelectors::workloadName).toList());
      if (target.isTextual()) {
        ctx.report(at, "No container of " + names + " declares a port named \"" + target.asText()
            + "\": the Service has no endpoints for port " + port.path("port").asText() + " and requests get 503",
            Severity.ERROR, null);
      } else if (target.isIntegralNumber() && workloads.stream().allMatch(WorkloadPorts::declaresPorts)
          && workloads.stream().noneMatch(w -> namesPort(w, target.asInt()))) {
        ctx.report(at, "No container of " + names + " declares port " + target.asText()
            + ": traffic to Service port " + port.path("port").asText() + " goes to a port nothing listens on");
      }
    });
  }

  private static boolean onlyProxy(Workload w) {
    JsonNode containers = w.podSpec().path("containers");
    return containers.size() == 1 && containers.get(0).path("name").asText().equals("istio-proxy");
  }

  /** True when a container's command or arguments name the port ({@code --port 8080}, {@code --port=8080}, {@code :8080}). */
  private static boolean namesPort(Workload w, int port) {
    Pattern number = Pattern.compile("(^|[=:\\s])" + port + "$");
    for (JsonNode container : w.podSpec().path("containers")) {
      for (String field : new String[] {"command", "args"}) {
        for (JsonNode word : container.path(field)) {
          if (number.matcher(word.asText()).find()) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
