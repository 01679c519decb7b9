package io.meshlint.core.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;

/** Istio's WorkloadEntry, WorkloadGroup and ProxyConfig validation, for {@link SchemaValidationError}. */
final class WorkloadValidation {
  private WorkloadValidation() {}

  static void workloadEntry(JsonNode spec, FieldPath at, SchemaFindings out) {
    String address = spec.path("address").asText("");
    if (address.isEmpty() && spec.path("network").asText("").isEmpty()) {
      out.report(at, "address is required");
      return;
    }
    if (address.startsWith("unix://")) {
      unixAddress(address, at.key("address"), out);
      if (IstioValues.nonEmpty(spec.path("ports"))) {
        out.report(at.key("ports"), "unix endpoint " + address + " must not include ports");
      }
    } else if (!address.isEmpty() && !IstioValues.isIpAddress(address) && !IstioValues.isFqdn(address)) {
      out.report(at.key("address"), "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
    }
    IstioValues.forEachEntry(spec.path("ports"), (name, number) -> {
      FieldPath path = at.key("ports").key(name);
      if (!IstioValues.isDns1123Label(name)) {
        out.report(path, "invalid port name: " + name);
      } else if (number.isIntegralNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
        out.report(path, "port number " + number.asLong() + " must be in the range 1..65535");
      }
    });
    IstioValues.labels(spec.path("labels"), at.key("labels"), out);
  }

  /** A {@code unix://} address names an absolute file path, or an abstract socket ({@code @name}). */
  static void unixAddress(String address, FieldPath path, SchemaFindings out) {
    String file = address.substring("unix://".length());
    if (file.isEmpty()) {
      out.report(path, "unix address must not be empty");
    } else if (!file.startsWith("@") && (!file.startsWith("/") || file.endsWith("/"))) {
      out.report(path, file + " is not an absolute path to a file");
    }
  }

  static void workloadGroup(JsonNode spec, FieldPath at, SchemaFindings out) {
    if (!spec.path("template").isObject()) {
      out.report(at, "template is required");
      return;
    }
    IstioValues.labels(spec.path("metadata").path("labels"), at.then("metadata.labels"), out);
    JsonNode probe = spec.path("probe");
    if (!probe.isObject()) {
      return;
    }
    FieldPath probePath = at.key("probe");
    for (String field : new String[] {"periodSeconds", "initialDelaySeconds", "timeoutSeconds", "successThreshold",
        "failureThreshold"}) {
      IstioValues.notNegative(probe, field, probePath, field, out);
    }
    JsonNode http = probe.path("httpGet");
    JsonNode tcp = probe.path("tcpSocket");
    JsonNode exec = probe.path("exec");
    if (http.isObject()) {
      probePort(http, probePath.key("httpGet"), out);
      String scheme = http.path("scheme").asText("");
      if (!scheme.isEmpty() && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
        out.report(probePath.then("httpGet.scheme"), "httpGet.scheme must be one of \"HTTPS\", \"HTTP\"");
      }
      Trees.forEach(http.path("httpHeaders"), probePath.then("httpGet.httpHeaders"), (header, path) -> {
        String name = header.path("name").asText("");
        if (!IstioValues.isHeaderName(name)) {
          out.report(path, name.isEmpty() ? "header name cannot be empty" : "header name " + name + " is not a valid header name");
        }
      });
    } else if (tcp.isObject()) {
      probePort(tcp, probePath.key("tcpSocket"), out);
    } else if (exec.isObject()) {
      if (!IstioValues.nonEmpty(exec.path("command"))) {
        out.report(probePath.key("exec"), "exec.command is required");
      }
    } else {
      out.report(probePath, "unknown health check method: the probe needs httpGet, tcpSocket or exec");
    }
  }

  private static void probePort(JsonNode check, FieldPath path, SchemaFindings out) {
    long port = check.path("port").asLong(0);
    if (port < 1 || port > 65535) {
      out.report(check.has("port") ? path.key("port") : path, "port number " + port + " must be in the range 1..65535");
    }
  }

  static void proxyConfig(JsonNode spec, FieldPath at, SchemaFindings out) {
    IstioValues.selectorLabels(spec.path("selector").path("matchLabels"), at.then("selector.matchLabels"), out);
    if (spec.path("concurrency").asLong(0) < 0) {
      out.report(at.key("concurrency"), "concurrency must be greater than or equal to 0");
    }
  }
}
