package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Set;

/** Istio's Sidecar validation, for {@link SchemaValidationError}. */
final class SidecarValidation {
  private SidecarValidation() {}

  private static final Set<String> LOCAL_HOSTS = Set.of("", "127.0.0.1", "0.0.0.0", "::1", "::");

  static void check(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.selectorLabels(spec.path("workloadSelector").path("labels"), at.then("workloadSelector.labels"), out);
    if (!IstioValues.nonEmpty(spec.path("egress")) && !IstioValues.nonEmpty(spec.path("ingress"))
        && !spec.has("outboundTrafficPolicy") && !spec.has("inboundConnectionPool")) {
      out.report(at, "sidecar: empty configuration provided");
    }
    Set<Long> ingressPorts = new HashSet<>();
    Trees.forEach(spec.path("ingress"), at.key("ingress"), (ingress, path) -> ingress(ingress, path, ingressPorts, out));
    DestinationRuleValidation.connectionPool(spec.path("inboundConnectionPool"), at.key("inboundConnectionPool"), out);
    Set<Long> egressPorts = new HashSet<>();
    Set<String> sockets = new HashSet<>();
    JsonNode egress = spec.path("egress");
    Trees.forEach(egress, at.key("egress"), (listener, path) -> {
      JsonNode port = listener.path("port");
      if (port.isObject()) {
        egressPort(listener, port, path, egressPorts, sockets, out);
      } else if (!path.segment(path.size() - 1).equals(egress.size() - 1)) {
        out.report(path, "sidecar: the egress listener with empty port should be the last listener in the list");
      }
      JsonNode hosts = listener.path("hosts");
      if (!IstioValues.nonEmpty(hosts)) {
        out.report(hosts.isArray() ? path.key("hosts") : path, "sidecar: egress listener must contain at least one host");
      }
      Trees.forEach(hosts, path.key("hosts"), (host, hPath) -> {
        String problem = host.isTextual() ? GatewayValidation.namespacedHostProblem(host.asText(), false) : null;
        if (problem != null) {
          out.report(hPath, problem);
        }
      });
    });
    outboundTrafficPolicy(spec.path("outboundTrafficPolicy"), at.key("outboundTrafficPolicy"), out);
  }

  private static void ingress(JsonNode ingress, FieldPath path, Set<Long> ports, SchemaFindings out) {
    JsonNode port = ingress.path("port");
    if (!port.isObject()) {
      out.report(path, "sidecar: port is required for ingress listeners");
      return;
    }
    FieldPath portPath = path.key("port");
    if (port.path("targetPort").asLong(0) > 0) {
      out.report(portPath.key("targetPort"), "targetPort has no impact on Sidecars");
    }
    IstioValues.portName(port, portPath, out);
    IstioValues.optionalProtocol(port, portPath, out);
    if (port.path("number").asLong(0) < 1 || port.path("number").asLong(0) > 65535) {
      out.report(port.has("number") ? portPath.key("number") : portPath,
          "port number " + port.path("number").asLong(0) + " must be in the range 1..65535");
    } else if (!ports.add(port.path("number").asLong())) {
      out.report(portPath.key("number"), "sidecar: ports on IP bound listeners must be unique");
    }
    bind(ingress, path, out);
    JsonNode endpoint = ingress.path("defaultEndpoint");
    if (endpoint.isTextual() && !endpoint.asText().isEmpty()) {
      defaultEndpoint(endpoint.asText(), path.key("defaultEndpoint"), out);
    }
    JsonNode tls = ingress.path("tls");
    FieldPath tlsPath = path.key("tls");
    if (tls.isObject()) {
      if (IstioValues.nonEmpty(tls.path("subjectAltNames"))) {
        out.report(tlsPath.key("subjectAltNames"), "sidecar: subjectAltNames is not supported in ingress tls");
      }
      if (tls.path("httpsRedirect").asBoolean(false)) {
        out.report(tlsPath.key("httpsRedirect"), "sidecar: httpsRedirect is not supported");
      }
      if (IstioValues.textPresent(tls.path("credentialName"))) {
        out.report(tlsPath.key("credentialName"), "sidecar: credentialName is not currently supported");
      }
      String mode = tls.path("mode").asText("");
      if (mode.equals("ISTIO_MUTUAL") || mode.equals("AUTO_PASSTHROUGH")) {
        out.report(tlsPath.key("mode"), "configuration is invalid: cannot set mode to " + mode + " in sidecar ingress tls");
      }
      GatewayValidation.serverTls(tls, tlsPath, out);
    }
    DestinationRuleValidation.connectionPool(ingress.path("connectionPool"), path.key("connectionPool"), out);
  }

  /** {@code 127.0.0.1:port}, {@code 0.0.0.0:port}, {@code [::1]:port}, {@code [::]:port}, {@code :port} or a Unix socket. */
  private static void defaultEndpoint(String endpoint, FieldPath path, SchemaFindings out) {
    if (endpoint.startsWith("unix://")) {
      WorkloadValidation.unixAddress(endpoint, path, out);
      return;
    }
    int colon = endpoint.lastIndexOf(':');
    String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
    String port = colon < 0 ? "" : endpoint.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      colon = -1;
    }
    if (colon < 0) {
      out.report(path, "address " + endpoint + ": missing port in address");
    } else if (!LOCAL_HOSTS.contains(host)) {
      out.report(path, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,"
          + "unix://filepath or unset");
    } else if (!port.matches("[0-9]{1,9}")) {
      out.report(path, "sidecar: defaultEndpoint port (" + port + ") is not a number");
    } else if (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      out.report(path, "port number " + port + " must be in the range 1..65535");
    }
  }

  private static void egressPort(JsonNode listener, JsonNode port, FieldPath path, Set<Long> ports,
      Set<String> sockets, SchemaFindings out) {
    FieldPath portPath = path.key("port");
    if (port.path("targetPort").asLong(0) > 0) {
      out.report(portPath.key("targetPort"), "targetPort has no impact on Sidecars");
    }
    IstioValues.portName(port, portPath, out);
    IstioValues.optionalProtocol(port, portPath, out);
    long number = port.path("number").asLong(0);
    String bind = listener.path("bind").asText("");
    if (number == 0) {
      if (!bind.startsWith("unix://")) {
        out.report(port.has("number") ? portPath.key("number") : portPath,
            "sidecar: ports with 0 value must have a unix domain socket bind address");
      } else {
        WorkloadValidation.unixAddress(bind, path.key("bind"), out);
        if (!sockets.add(bind)) {
          out.report(path.key("bind"), "sidecar: unix domain socket values for listeners must be unique");
        }
      }
      String capture = listener.path("captureMode").asText("DEFAULT");
      if (!capture.equals("DEFAULT") && !capture.equals("NONE")) {
        out.report(path.key("captureMode"), "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
      }
      return;
    }
    if (number < 1 || number > 65535) {
      out.report(portPath.key("number"), "port number " + number + " must be in the range 1..65535");
    } else if (!ports.add(number)) {
      out.report(portPath.key("number"), "sidecar: ports on IP bound listeners must be unique");
    }
    bind(listener, path, out);
  }

  private static void bind(JsonNode listener, FieldPath path, SchemaFindings out) {
    JsonNode bind = listener.path("bind");
    if (bind.isTextual() && !bind.asText().isEmpty() && !IstioValues.isIpAddress(bind.asText())) {
      out.report(path.key("bind"), bind.asText() + " is not a valid IP");
    }
  }

  private static void outboundTrafficPolicy(JsonNode policy, FieldPath at, SchemaFindings out) {
    JsonNode proxy = policy.path("egressProxy");
    if (!proxy.isObject()) {
      return;
    }
    if (!policy.path("mode").asText("REGISTRY_ONLY").equals("ALLOW_ANY")) {
      out.report(at.key("egressProxy"), "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
      return;
    }
    String host = proxy.path("host").asText("");
    String problem = IstioValues.fqdnProblem(host);
    if (problem != null) {
      out.report(proxy.has("host") ? at.then("egressProxy.host") : at.key("egressProxy"), problem);
    }
    if (!proxy.path("port").isObject()) {
      out.report(at.key("egressProxy"), "sidecar: egress_proxy port must be non-nil");
    } else {
      IstioValues.portNumber(proxy.path("port"), "number", at.then("egressProxy.port"), out);
    }
    JsonNode subset = proxy.path("subset");
    if (subset.isTextual() && !subset.asText().isEmpty() && !IstioValues.isDns1123Label(subset.asText())) {
      out.report(at.then("egressProxy.subset"), "subset name is invalid: " + subset.asText());
    }
  }
}
