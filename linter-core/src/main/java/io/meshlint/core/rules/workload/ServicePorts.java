package io.meshlint.core.rules.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.RuleContext;
import java.util.Locale;
import java.util.Set;

/** How Istio derives a Service port's protocol, shared by IST0118 and IST0150. */
final class ServicePorts {
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "grpc", "grpc-web", "http", "http_proxy", "http2",
      "https", "tls", "mongo", "redis", "mysql");
  /** Ports Istio never sniffs: SMTP, DNS, MySQL, MongoDB. */
  private static final Set<Integer> WELL_KNOWN_TCP = Set.of(25, 53, 3306, 27017);

  private ServicePorts() {}

  /**
   * True when Istio cannot tell the port's protocol from {@code protocol: UDP}, {@code appProtocol}
   * (including Kubernetes' {@code kubernetes.io/h2c}, {@code ws}, {@code wss}) or the port name's
   * prefix before the first dash, and the port is not one of the well-known TCP ports.
   */
  static boolean protocolUnknown(JsonNode port) {
    if (port.path("protocol").asText().equals("UDP")) {
      return false;
    }
    String name = port.has("appProtocol") ? port.path("appProtocol").asText() : port.path("name").asText();
    if (Set.of("kubernetes.io/h2c", "kubernetes.io/ws", "kubernetes.io/wss").contains(name)) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("grpc-web")) {
      return false;
    }
    int dash = lower.indexOf('-');
    String prefix = dash >= 0 ? lower.substring(0, dash) : lower;
    return !PROTOCOLS.contains(prefix) && !WELL_KNOWN_TCP.contains(port.path("port").asInt());
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
