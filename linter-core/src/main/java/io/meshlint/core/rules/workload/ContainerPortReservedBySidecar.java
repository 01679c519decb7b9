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
import io.meshlint.core.rules.injection.Injection;
import io.meshlint.core.source.FieldPath;
import java.util.Map;

@RuleMeta(
    code = "MSH1031",
    name = "ContainerPortReservedBySidecar",
    severity = Severity.ERROR,
    summary = "An application container uses a port that the Istio sidecar reserves for itself.",
    description = """
        The sidecar shares the pod's network namespace and listens on fixed ports: 15000 (Envoy \
        admin), 15001 (outbound capture), 15004 (debug), 15006 (inbound capture), 15008 (HBONE \
        tunnel), 15020 (merged metrics and agent), 15021 (health checks), 15053 (DNS proxy) and \
        15090 (Envoy's Prometheus metrics). An application that listens on one of them either \
        fails to start or makes the proxy fail (`address already in use`), and the iptables \
        rules send the port's traffic to Envoy rather than to the application, or exclude it \
        from the mesh.

        meshlint reports `containerPort`s in that list on containers other than `istio-proxy`, \
        in Pods and pod templates of controllers that may get a sidecar (not those known to run \
        without one, such as `sidecar.istio.io/inject: "false"`, nor host-network pods).

        Fix: move the application to another port (and its Service's `targetPort` with it).""",
    subjects = {Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET, Kinds.JOB,
        Kinds.CRON_JOB},
    reads = {Kinds.NAMESPACE})
public final class ContainerPortReservedBySidecar implements Rule {
  private static final Map<Integer, String> RESERVED = Map.of(
      15000, "Envoy admin", 15001, "outbound capture", 15004, "debug", 15006, "inbound capture",
      15008, "HBONE tunnel", 15020, "merged metrics", 15021, "health checks", 15053, "DNS proxy",
      15090, "Envoy Prometheus metrics");

  @Override
  public void check(Resource owner, RuleContext ctx) {
    Workload w = ctx.mesh().workloadOf(owner);
    if (w == null || w.podSpec().path("hostNetwork").asBoolean(false)
        || !Injection.inMesh(w, ctx.mesh().namespace(w.namespace()))) {
      return;
    }
    Trees.forEach(w.podSpec().path("containers"), w.podSpecPath().key("containers"), (container, path) -> {
      if (!"istio-proxy".equals(container.path("name").asText())) {
        Trees.forEach(container.path("ports"), path.key("ports"), (port, portPath) -> report(port, portPath, ctx));
      }
    });
  }

  private static void report(JsonNode port, FieldPath path, RuleContext ctx) {
    String use = RESERVED.get(port.path("containerPort").asInt(-1));
    if (use != null) {
      ctx.report(path.key("containerPort"), "Port " + port.path("containerPort").asInt()
          + " is reserved by the Istio sidecar (" + use + "): the application and the proxy collide on it");
    }
  }
}
