package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.mesh.Workload;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "IST0162",
    name = "GatewayPortNotDefinedOnService",
    severity = Severity.WARNING,
    summary = "A Gateway listens on a port that the Service in front of its gateway pods does not expose.",
    description = """
        A Gateway server makes the gateway proxy listen on a port. When a Service selecting the \
        gateway pods has that number as `port`, Istio listens on the Service's `targetPort` \
        instead (so `80` on the default ingress gateway becomes `8080`); otherwise it listens on \
        the server's port itself, and clients reach it only if some Service port targets it. A \
        server port that is neither is unreachable through the gateway's Service: the listener \
        exists but no traffic arrives.

        meshlint reports each server whose port number is neither a TCP `port` nor a numeric \
        `targetPort` of any Service selecting the workloads the Gateway's selector matches (Pods \
        and pod templates of controllers, in every namespace; Istio's default ingress gateway \
        and its Service are assumed unless the inputs define their own). Gateways whose selector \
        matches no workload are IST0101's. `istioctl analyze` (since 1.19) compares only with \
        `targetPort` and so reports port 80 and 443 on the default ingress gateway although \
        they work (istio/istio#51257); meshlint accepts the Service port too, as Istio's \
        listener translation does.

        Fix: add the port to the gateway's Service, or use a port it exposes.""",
    subjects = {Kinds.GATEWAY},
    reads = {Kinds.SERVICE, Kinds.POD, Kinds.DEPLOYMENT, Kinds.STATEFUL_SET, Kinds.DAEMON_SET, Kinds.REPLICA_SET,
        Kinds.JOB, Kinds.CRON_JOB})
public final class GatewayPortNotDefinedOnService implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    JsonNode selectorNode = gateway.tree().path("spec").path("selector");
    Map<String, String> selector = Resource.stringMap(selectorNode);
    if (selector.isEmpty()) {
      return;
    }
    List<Workload> workloads = ctx.mesh().workloadsMatching(null, selector);
    if (workloads.isEmpty()) {
      return;
    }
    Set<Integer> reachable = new HashSet<>();
    for (Workload w : workloads) {
      for (Resource service : ctx.mesh().servicesSelecting(w.namespace(), w.labels())) {
        for (JsonNode port : service.tree().path("spec").path("ports")) {
          if (port.path("protocol").asText("TCP").equals("TCP")) {
            reachable.add(port.path("port").asInt());
            if (port.path("targetPort").canConvertToInt()) {
              reachable.add(port.path("targetPort").asInt());
            }
          }
        }
      }
    }
    Trees.forEach(gateway.tree().path("spec").path("servers"), FieldPath.of("spec", "servers"), (server, path) -> {
      JsonNode number = server.path("port").path("number");
      if (number.canConvertToInt() && !reachable.contains(number.asInt())) {
        ctx.report(path.then("port.number"), "The gateway is listening on a target port (port " + number.asInt()
            + ") that is not defined in the Service associated with its workload instances (Pod selector "
            + MeshIndex.selectorKey(selectorNode) + "). If you need to access the gateway port through the gateway "
            + "Service, it will not be available.");
      }
    });
  }
}
