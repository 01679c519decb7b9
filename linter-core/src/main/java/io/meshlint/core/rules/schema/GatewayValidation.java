package io.meshlint.core.rules.schema;

import static io.meshlint.core.rules.schema.IstioValues.textPresent;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Istio's Gateway validation, and the server TLS and host rules Sidecars share, for {@link SchemaValidationError}. */
final class GatewayValidation {
  private GatewayValidation() {}

  private static final Set<String> TLS_PROTOCOLS = Set.of("HTTPS", "TLS");

  static void check(String name, JsonNode spec, FieldPath at, SchemaFindings out) {
    if (!IstioValues.isDns1123Label(name)) {
      out.report(FieldPath.of("metadata", "name"), "invalid gateway name: \"" + name + "\"");
    }
    JsonNode servers = spec.path("servers");
    if (!servers.isArray() || servers.isEmpty()) {
      out.report(servers.isArray() ? at.key("servers") : at, "gateway must have at least one server");
      return;
    }
    Set<String> portNames = new HashSet<>();
    Trees.forEach(servers, at.key("servers"), (server, path) -> {
      server(server, path, out);
      JsonNode portName = server.path("port").path("name");
      if (portName.isTextual() && !portNames.add(portName.asText())) {
        out.report(path.then("port.name"), "port names in servers must be unique: duplicate name " + portName.asText());
      }
    });
  }

  private static void server(JsonNode server, FieldPath path, SchemaFindings out) {
    JsonNode hosts = server.path("hosts");
    if (!hosts.isArray() || hosts.isEmpty()) {
      out.report(hosts.isArray() ? path.key("hosts") : path, "server config must contain at least one host");
    }
    Trees.forEach(hosts, path.key("hosts"), (host, hPath) -> {
      if (host.isTextual()) {
        String problem = namespacedHostProblem(host.asText(), true);
        if (problem != null) {
          out.report(hPath, problem);
        }
      }
    });
    JsonNode port = server.path("port");
    if (!port.isObject()) {
      out.report(path, "server port is required");
      return;
    }
    FieldPath portPath = path.key("port");
    boolean unixBind = server.path("bind").asText("").startsWith("unix://");
    boolean portOk = unixBind && port.path("number").asLong(0) == 0
        || IstioValues.portNumber(port, "number", portPath, out);
    String protocol = protocol(port, portPath, out);
    if (port.path("targetPort").asLong(0) > 0) {
      out.report(portPath.key("targetPort"), "targetPort has no impact on Gateways");
    }
    if (!textPresent(port.path("name"))) {
      out.report(portPath, "port name must be set");
    }
    JsonNode tls = server.path("tls");
    if (tls.isObject()) {
      serverTls(tls, path.key("tls"), out);
    }
    if (!portOk || protocol == null) {
      return;
    }
    if (TLS_PROTOCOLS.contains(protocol)) {
      if (!tls.isObject()) {
        out.report(path, "server must have TLS settings for HTTPS/TLS protocols");
      }
    } else if (tls.isObject()) {
      if (!IstioValues.HTTP_PROTOCOLS.contains(protocol)) {
        out.report(path.key("tls"), "server cannot have TLS settings for non HTTPS/TLS ports");
      } else if (!isPassthrough(tls) || tls.has("caCertificates") || tls.has("privateKey")
          || tls.has("serverCertificate")) {
        out.report(path.key("tls"), "server cannot have TLS settings for plain text HTTP ports");
      }
    }
  }

  private static boolean isPassthrough(JsonNode tls) {
    String mode = tls.path("mode").asText("PASSTHROUGH");
    return mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH");
  }

  /** Server TLS settings (Gateway servers, Sidecar ingress): certificates as the mode needs them. */
  static void serverTls(JsonNode tls, FieldPath path, SchemaFindings out) {
    String mode = tls.path("mode").asText("PASSTHROUGH");
    boolean credential = textPresent(tls.path("credentialName")) || tls.path("credentialNames").size() > 0
        || tls.path("tlsCertificates").size() > 0;
    if (mode.equals("ISTIO_MUTUAL")) {
      for (String field : new String[] {"serverCertificate", "privateKey", "caCertificates", "credentialName"}) {
        if (textPresent(tls.path(field))) {
          out.report(path.key(field), "ISTIO_MUTUAL TLS cannot have associated " + field);
        }
      }
      return;
    }
    boolean terminates = mode.equals("SIMPLE") || mode.equals("MUTUAL") || mode.equals("OPTIONAL_MUTUAL");
    if (terminates && !credential) {
      if (!textPresent(tls.path("serverCertificate")) || !textPresent(tls.path("privateKey"))) {
        out.report(path, mode + " TLS requires credentialName, or serverCertificate and privateKey");
      } else if (!mode.equals("SIMPLE") && !textPresent(tls.path("caCertificates"))) {
        out.report(path, mode + " TLS requires caCertificates (or credentialName)");
      }
    }
    if (textPresent(tls.path("caCrl"))) {
      if (textPresent(tls.path("credentialName"))) {
        out.report(path.key("caCrl"), "CRL is not supported with credentialName. CRL has to be specified in the credential");
      } else if (mode.equals("SIMPLE")) {
        out.report(path.key("caCrl"), "CRL is not supported with SIMPLE TLS");
      }
    }
  }

  /** The port's protocol upper-cased when Istio knows it; reports it and returns null otherwise. */
  private static String protocol(JsonNode port, FieldPath path, SchemaFindings out) {
    JsonNode protocol = port.path("protocol");
    if (!protocol.isTextual() && !protocol.isMissingNode() && !protocol.isNull()) {
      return null;
    }
    String name = protocol.asText("").toUpperCase(Locale.ROOT);
    if (!IstioValues.PROTOCOLS.contains(name)) {
      out.report(protocol.isMissingNode() ? path : path.key("protocol"), (protocol.isMissingNode()
          ? "port protocol is required" : "invalid protocol \"" + protocol.asText() + "\"")
          + "; supported protocols are HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, MONGO, MYSQL, REDIS, TCP, TLS, UDP");
      return null;
    }
    return name;
  }

  /**
   * What is wrong with a {@code namespace/dnsName} host of a Gateway server or a Sidecar egress
   * listener, or null. Gateways also take a bare host or an IP address.
   */
  static String namespacedHostProblem(String host, boolean gateway) {
    int slash = host.indexOf('/');
    if (slash < 0) {
      return gateway ? hostnamePartProblem(host, true) : "host must be of form namespace/dnsName";
    }
    String namespace = host.substring(0, slash);
    String name = host.substring(slash + 1);
    if (namespace.isEmpty() || name.isEmpty()) {
      return "config namespace and dnsName in host entry cannot be empty";
    }
    boolean special = namespace.equals("*") || namespace.equals(".") || (!gateway && namespace.equals("~"));
    if (!special && !IstioValues.isDns1123Label(namespace)) {
      return "invalid namespace value \"" + namespace + "\" in " + (gateway ? "gateway" : "sidecar");
    }
    return hostnamePartProblem(name, gateway);
  }

  private static String hostnamePartProblem(String name, boolean gateway) {
    if (!name.equals("*") && !name.contains(".")) {
      return "short names (non FQDN) are not allowed";
    }
    String problem = IstioValues.wildcardDomainProblem(name);
    if (problem != null && !(gateway && IstioValues.isIpAddress(name))) {
      return problem;
    }
    if (name.contains("*") && name.length() != 1 && !name.startsWith("*.")) {
      return "partial wildcard \"" + name + "\" not allowed";
    }
    return null;
  }
}
