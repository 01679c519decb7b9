package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Protocols;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import java.util.Set;

/** How Istio derives a Service port's protocol, shared by IST0118 and IST0150. */
final class ServicePorts {
  /** Ports Istio never sniffs: SMTP, DNS, MySQL, MongoDB. */
  private static final Set<Integer> WELL_KNOWN_TCP = Set.of(25, 53, 3306, 27017);

  private ServicePorts() {}

  /**
   * True when Istio cannot tell the port's protocol ({@link Protocols#ofServicePort}) and the port is
   * not one of the well-known TCP ports.
   */
  static boolean protocolUnknown(JsonNode port) {
    return Protocols.ofServicePort(port).isEmpty() && !WELL_KNOWN_TCP.contains(port.path("port").asInt());
  }

  /** Istio skips system namespaces and its own control plane's Services. */
  static boolean skipped(Resource service, RuleContext ctx) {
    return ctx.mesh().settings().systemNamespaces().contains(service.namespace())
        || service.labels().containsKey("istio") || "istio".equals(service.labels().get("release"));
  }

  static boolean isExternalName(Resource service) {
    return service.tree().path("spec").path("type").asText().equals("ExternalName");
  }
}
