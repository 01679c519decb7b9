package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0118",
    name = "PortNameIsNotUnderNamingConvention",
    severity = Severity.INFO,
    summary = "A Service port declares no protocol Istio understands, so Istio sniffs it.",
    description = """
        Istio picks a port's protocol from `appProtocol`, else from the port name's prefix \
        (`http`, `http-web`, `grpc-api`, `tcp-db`...). A port that declares neither gets protocol \
        sniffing: the first bytes decide between HTTP and TCP, which adds latency, breaks \
        server-first protocols (the client waits for the server, the proxy waits for the client) \
        and can treat HTTP as opaque TCP.

        meshlint reports, as `istioctl analyze` does, each port of a Service (not of type \
        `ExternalName`, see IST0150) whose `appProtocol`, or else name up to the first `-`, is \
        none of `http`, `http2`, `https`, `http_proxy`, `grpc`, `grpc-web`, `tcp`, `tls`, `udp`, \
        `mongo`, `mysql`, `redis` (case-insensitive; `kubernetes.io/h2c`, `kubernetes.io/ws` and \
        `kubernetes.io/wss` are accepted as `appProtocol`). UDP ports and the well-known TCP ports \
        25, 53, 3306 and 27017 are exempt, as are Services in system namespaces (setting \
        `systemNamespaces`), Istio's own Services (label `istio` or `release: istio`) and the \
        Services Istio creates for gateways and waypoints (label `gateway.istio.io/managed`).

        Kiali reports the same mistakes as KIA0601 (port name) and KIA0602 (`appProtocol`).

        Fix: name the port `<protocol>[-<suffix>]`, for example `http-web`, or set `appProtocol`.""",
    subjects = {Kinds.SERVICE},
    aliases = {"KIA0601", "KIA0602"})
public final class PortNameIsNotUnderNamingConvention implements Rule {

  @Override
  public void check(Resource service, RuleContext ctx) {
    if (ServicePorts.skipped(service, ctx) || ServicePorts.isExternalName(service)) {
      return;
    }
    Trees.forEach(service.tree().path("spec").path("ports"), FieldPath.of("spec", "ports"), (port, path) -> {
      if (ServicePorts.protocolUnknown(port)) {
        JsonNode target = port.path("targetPort");
        ctx.report(port.has("appProtocol") ? path.key("appProtocol") : path, "Port name " + port.path("name").asText() + " (port: " + port.path("port").asInt()
            + ", targetPort: " + (target.isMissingNode() ? port.path("port").asText() : target.asText())
            + ") doesn't follow the naming convention of Istio port.");
      }
    });
  }
}
