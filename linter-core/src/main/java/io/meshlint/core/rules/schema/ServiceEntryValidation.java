package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Istio's ServiceEntry validation, for {@link SchemaValidationError}. */
final class ServiceEntryValidation {
  private ServiceEntryValidation() {}

  static void check(String namespace, JsonNode spec, FieldPath at, SchemaFindings out) {
    JsonNode hosts = spec.path("hosts");
    if (!hosts.isArray() || hosts.isEmpty()) {
      out.report(hosts.isArray() ? at.key("hosts") : at, "service entry must have at least one host");
    }
    Trees.forEach(hosts, at.key("hosts"), (host, path) -> {
      String problem = host.asText("").equals("*") ? "invalid host *" : IstioValues.wildcardDomainProblem(host.asText(""));
      if (host.isTextual() && problem != null) {
        out.report(path, problem);
      }
    });
    JsonNode selector = spec.path("workloadSelector");
    IstioValues.selectorLabels(selector.path("labels"), at.then("workloadSelector.labels"), out);
    if (selector.isObject() && spec.has("endpoints")) {
      out.report(at.key("endpoints"), "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
    }
    String resolution = spec.path("resolution").asText("NONE");
    boolean cidr = false;
    JsonNode addresses = spec.path("addresses");
    for (int i = 0; i < addresses.size(); i++) {
      String address = addresses.get(i).asText("");
      cidr |= address.contains("/");
      if (!IstioValues.isIpOrCidr(address)) {
        out.report(at.key("addresses").index(i), address + (address.contains("/") ? " is not a valid CIDR block"
            : " is not a valid IP"));
      }
    }
    if (cidr && !resolution.equals("NONE") && !resolution.equals("STATIC")) {
      out.report(at.key("addresses"), "CIDR addresses are allowed only for NONE/STATIC resolution types");
    }
    Set<String> portNames = new HashSet<>();
    Set<Long> portNumbers = new HashSet<>();
    Trees.forEach(spec.path("ports"), at.key("ports"), (port, path) -> {
      IstioValues.portNumber(port, "number", path, out);
      IstioValues.portNumber(port, "targetPort", path, out);
      IstioValues.portName(port, path, out);
      IstioValues.optionalProtocol(port, path, out);
      if (port.path("name").isTextual() && !portNames.add(port.path("name").asText())) {
        out.report(path.key("name"), "service entry port name \"" + port.path("name").asText() + "\" already defined");
      }
      if (port.path("number").isIntegralNumber() && !portNumbers.add(port.path("number").asLong())) {
        out.report(path.key("number"), "service entry port " + port.path("number").asLong() + " already defined");
      }
    });
    boolean noEndpoints = spec.path("endpoints").size() == 0;
    switch (resolution) {
      case "NONE" -> {
        if (!noEndpoints) {
          out.report(at.key("endpoints"), "no endpoints should be provided for resolution type none");
        }
      }
      case "STATIC" -> {
        if (noEndpoints && !selector.isObject()) {
          out.report(at.key("resolution"), "endpoints must be provided if service entry discovery mode is static");
        }
        endpoints(spec, at, portNames, false, out);
      }
      case "DNS", "DNS_ROUND_ROBIN" -> {
        if (noEndpoints) {
          Trees.forEach(hosts, at.key("hosts"), (host, path) -> {
            if (host.isTextual() && !IstioValues.isFqdn(host.asText())) {
              out.report(path, "host \"" + host.asText() + "\" must be a full domain name, without wildcard, "
                  + "for resolution " + resolution + " without endpoints");
            }
          });
        }
        if (resolution.equals("DNS_ROUND_ROBIN") && spec.path("endpoints").size() > 1) {
          out.report(at.key("endpoints"), "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN");
        }
        endpoints(spec, at, portNames, true, out);
      }
      default -> {
      }
    }
    // Plain TCP cannot tell hosts apart: Istio names the first such port.
    JsonNode ports = spec.path("ports");
    for (int i = 0; !resolution.equals("NONE") && hosts.size() > 1 && i < ports.size(); i++) {
      String protocol = ports.get(i).path("protocol").asText("").toUpperCase(Locale.ROOT);
      if (!IstioValues.HTTP_PROTOCOLS.contains(protocol) && !protocol.equals("HTTPS") && !protocol.equals("TLS")) {
        out.report(at.key("ports").index(i), "multiple hosts provided with non-HTTP, non-TLS ports");
        break;
      }
    }
    IstioValues.exportTo(spec.path("exportTo"), namespace, true, at.key("exportTo"), out);
  }

  /** STATIC endpoints are IP addresses (or Unix sockets); DNS endpoints may also be host names. */
  private static void endpoints(JsonNode spec, FieldPath at, Set<String> portNames, boolean dns, SchemaFindings out) {
    Trees.forEach(spec.path("endpoints"), at.key("endpoints"), (endpoint, path) -> {
      String address = endpoint.path("address").asText("");
      if (!dns && address.isEmpty() && endpoint.path("network").asText("").isEmpty()) {
        out.report(path, "address is required");
      } else if (!dns && address.startsWith("unix://")) {
        WorkloadValidation.unixAddress(address, path.key("address"), out);
      } else if (!address.isEmpty() && !IstioValues.isIpAddress(address) && (!dns || !IstioValues.isFqdn(address))) {
        out.report(path.key("address"), dns ? "endpoint address \"" + address + "\" is not a valid FQDN or an IP address"
            : "endpoint address \"" + address + "\" is not a valid IP address");
      }
      IstioValues.labels(endpoint.path("labels"), path.key("labels"), out);
      IstioValues.forEachEntry(endpoint.path("ports"), (name, number) -> {
        FieldPath portPath = path.key("ports").key(name);
        if (!portNames.contains(name)) {
          out.report(portPath, "endpoint port " + number.asText() + " is not defined by the service entry");
        } else if (number.isIntegralNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
          out.report(portPath, "port number " + number.asLong() + " must be in the range 1..65535");
        }
      });
    });
  }
}
