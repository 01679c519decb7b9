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

  /** Values of {@code gateway.istio.io/managed} on the Services Istio creates for gateways and waypoints. */
  private static final Set<String> MANAGED_GATEWAY = Set.of("istio.io-gateway-controller", "istio.io-mesh-controller",
      "istio.io-eastwest-controller");

  /**
   * Istio skips system namespaces, its own control plane's Services and the Services it creates for
   * gateways and waypoints (which users do not write).
   */
  static boolean skipped(Resource service, RuleContext ctx) {
    return ctx.mesh().settings().systemNamespaces().contains(service.namespace())
        || service.labels().containsKey("istio") || "istio".equals(service.labels().get("release"))
        || MANAGED_GATEWAY.contains(service.labels().getOrDefault("gateway.istio.io/managed", ""));
  }

  static boolean isExternalName(Resource service) {
    return service.tree().path("spec").path("type").asText().equals("ExternalName");
  }
}
