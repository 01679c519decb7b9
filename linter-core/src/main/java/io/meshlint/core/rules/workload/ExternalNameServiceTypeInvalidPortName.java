package io.meshlint.core.rules.workload;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

@RuleMeta(
    code = "IST0150",
    name = "ExternalNameServiceTypeInvalidPortName",
    severity = Severity.WARNING,
    summary = "An ExternalName Service has a port named `tcp` or without a protocol prefix.",
    description = """
        Istio turns an `ExternalName` Service into a DNS-resolved cluster that the sidecar routes \
        by port. For ports whose protocol is TCP or unknown (sniffed), the proxy cannot route on \
        the host name and may forward the traffic nowhere, or through the wrong filter chain; a \
        port named exactly `tcp` is treated the same way.

        meshlint reports, as `istioctl analyze` does, each port of an `ExternalName` Service \
        named exactly `tcp`, or whose name and `appProtocol` carry no protocol Istio understands \
        (the test of IST0118). Services in system namespaces and Istio's own Services are skipped.

        Fix: name the port for its protocol (`http`, `https`, `tls-...`), or declare a \
        ServiceEntry for the external host instead of the `ExternalName` Service.""",
    subjects = {Kinds.SERVICE})
public final class ExternalNameServiceTypeInvalidPortName implements Rule {

  @Override
  public void check(Resource service, RuleContext ctx) {
    if (ServicePorts.skipped(service, ctx) || !ServicePorts.isExternalName(service)) {
      return;
    }
    Trees.forEach(service.tree().path("spec").path("ports"), FieldPath.of("spec", "ports"), (port, path) -> {
      if (ServicePorts.protocolUnknown(port) || port.path("name").asText().equals("tcp")) {
        ctx.report(path, "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and "
            + "unmatched traffic for ports serving TCP protocol from being forwarded correctly");
      }
    });
  }
}
