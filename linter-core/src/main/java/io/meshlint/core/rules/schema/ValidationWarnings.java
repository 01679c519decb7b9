package io.meshlint.core.rules.schema;

import static io.meshlint.core.rules.schema.SchemaWarning.warn;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The warnings of Istio's validation that {@link SchemaWarning} reports beside its own. */
final class ValidationWarnings {
  private ValidationWarnings() {}

  /** The cipher suites Envoy's BoringSSL knows for Gateway servers. */
  private static final Set<String> CIPHER_SUITES = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
      "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA",
      "AES256-SHA", "DES-CBC3-SHA");
  private static final List<String> TCP_SOURCE_FIELDS = List.of("principals", "notPrincipals", "ipBlocks",
      "notIpBlocks", "namespaces", "notNamespaces", "remoteIpBlocks", "notRemoteIpBlocks");

  static void cipherSuites(JsonNode tls, FieldPath path, RuleContext ctx) {
    String min = tls.path("minProtocolVersion").asText("");
    JsonNode suites = tls.path("cipherSuites");
    if ((min.equals("TLSV1_0") || min.equals("TLSV1_1")) && !IstioValues.nonEmpty(suites)) {
      warn(ctx, path.key("minProtocolVersion"), "TLS version below TLSV1_2 require setting compatible ciphers as by "
          + "default they no longer include compatible ciphers.");
    }
    Set<String> invalid = new TreeSet<>();
    Set<String> valid = new HashSet<>();
    Set<String> duplicate = new TreeSet<>();
    for (JsonNode suite : suites) {
      String cs = suite.asText("");
      // Expressions starting with an operator such as "-" or "+" are passed to BoringSSL as they are.
      boolean known = cs.isEmpty() || cs.equals("ALL") || !Character.isLetterOrDigit(cs.charAt(0))
          || CIPHER_SUITES.contains(cs);
      if (!known) {
        invalid.add(cs);
      } else if (!valid.add(cs)) {
        duplicate.add(cs);
      }
    }
    if (!invalid.isEmpty()) {
      warn(ctx, path.key("cipherSuites"), "ignoring invalid cipher suites: " + invalid);
    }
    if (!duplicate.isEmpty()) {
      warn(ctx, path.key("cipherSuites"), "ignoring duplicate cipher suites: " + duplicate);
    }
  }

  static void sidecar(String namespace, JsonNode spec, FieldPath at, RuleContext ctx) {
    Trees.forEach(spec.path("egress"), at.key("egress"), (listener, path) -> {
      Map<String, Set<String>> hostsByNamespace = new HashMap<>();
      Trees.forEach(listener.path("hosts"), path.key("hosts"), (host, hPath) -> {
        String[] parts = host.asText("").split("/", 2);
        if (parts.length != 2) {
          return;
        }
        String ns = parts[0].equals(".") ? namespace : parts[0];
        Set<String> names = hostsByNamespace.computeIfAbsent(ns, k -> new HashSet<>());
        boolean duplicate = parts[1].equals("*") ? !names.isEmpty() : names.contains(parts[1]) || names.contains("*");
        if (duplicate) {
          warn(ctx, hPath, "duplicated egress host: " + host.asText());
        }
        names.add(parts[1]);
      });
      if (hostsByNamespace.getOrDefault("*", Set.of()).contains("*") && hostsByNamespace.size() != 1) {
        warn(ctx, path.key("hosts"), "`*/*` host select all resources, no other hosts can be added");
      }
    });
    Trees.forEach(spec.path("ingress"), at.key("ingress"), (ingress, path) -> {
      JsonNode port = ingress.path("port");
      String protocol = port.path("protocol").asText("").toUpperCase(Locale.ROOT);
      if (ingress.path("connectionPool").path("http").isObject() && port.isObject()
          && !IstioValues.HTTP_PROTOCOLS.contains(protocol)) {
        warn(ctx, path.then("connectionPool.http"), "sidecar: HTTP connection pool settings are configured for port "
            + port.path("number").asText() + " (\"" + port.path("name").asText("") + "\") but its protocol is not HTTP ("
            + port.path("protocol").asText("") + "); only TCP settings will apply");
      }
    });
  }

  /** A DENY rule of only HTTP attributes also denies all plain TCP traffic. */
  static void authorizationPolicy(JsonNode spec, FieldPath at, RuleContext ctx) {
    if (!spec.path("action").asText("ALLOW").equals("DENY")) {
      return;
    }
    Trees.forEach(spec.path("rules"), at.key("rules"), (rule, path) -> {
      boolean from = false;
      boolean tcpFrom = false;
      for (JsonNode f : rule.path("from")) {
        if (f.path("source").isObject()) {
          from = true;
          tcpFrom |= TCP_SOURCE_FIELDS.stream().anyMatch(field -> IstioValues.nonEmpty(f.path("source").path(field)));
        }
      }
      boolean to = false;
      boolean tcpTo = false;
      for (JsonNode t : rule.path("to")) {
        if (t.path("operation").isObject()) {
          to = true;
          tcpTo |= IstioValues.nonEmpty(t.path("operation").path("ports"))
              || IstioValues.nonEmpty(t.path("operation").path("notPorts"));
        }
      }
      if ((from && !to && !tcpFrom) || (to && !tcpTo)) {
        warn(ctx, path, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the "
            + "use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
      }
    });
  }

  static void virtualService(JsonNode spec, FieldPath at, RuleContext ctx) {
    Trees.forEach(spec.path("tls"), at.key("tls"), (route, path) ->
        Trees.forEach(route.path("match"), path.key("match"), (match, mPath) ->
            Trees.forEach(match.path("sniHosts"), mPath.key("sniHosts"), (host, hPath) -> {
              if (IstioValues.isIpAddress(host.asText(""))) {
                warn(ctx, hPath, "using an IP address (\"" + host.asText() + "\") goes against SNI spec and most "
                    + "clients do not support this");
              }
            })));
    Trees.forEach(spec.path("http"), at.key("http"), (route, path) -> {
      long size = VirtualServiceValidation.bodySize(route.path("directResponse").path("body"));
      if (size > 100 * 1024 && size <= 1024 * 1024) {
        warn(ctx, path.then("directResponse.body"), "large direct_responses may impact control plane performance");
      }
    });
  }

  static void serviceEntry(JsonNode spec, FieldPath at, RuleContext ctx) {
    String resolution = spec.path("resolution").asText("NONE");
    Trees.forEach(spec.path("hosts"), at.key("hosts"), (host, path) -> {
      String h = host.asText("");
      if (h.contains("*") && h.length() != 1 && !h.startsWith("*.")) {
        warn(ctx, path, "partial wildcard \"" + h + "\" not allowed");
      }
    });
    Trees.forEach(spec.path("ports"), at.key("ports"), (port, path) -> {
      if (port.path("targetPort").asLong(0) != 0 && resolution.equals("NONE")) {
        warn(ctx, path.key("targetPort"), "targetPort has no effect when resolution mode is NONE");
      }
    });
    boolean dns = resolution.equals("DNS") || resolution.equals("DNS_ROUND_ROBIN");
    if (dns && IstioValues.nonEmpty(spec.path("addresses")) && spec.path("hosts").size() > 1) {
      for (JsonNode port : spec.path("ports")) {
        String protocol = port.path("protocol").asText("").toUpperCase(Locale.ROOT);
        if (protocol.isEmpty() || protocol.equals("TCP")) {
          warn(ctx, at.key("hosts"), "service entry can not have more than one host specified simultaneously with "
              + "address and tcp port");
          break;
        }
      }
    }
  }

  static void telemetry(JsonNode spec, FieldPath at, RuleContext ctx) {
    if (spec.path("tracing").size() > 1) {
      warn(ctx, at.key("tracing"), "multiple tracing is not currently supported");
    }
    Trees.forEach(spec.path("tracing"), at.key("tracing"), (tracing, path) -> {
      if (tracing.path("providers").size() > 1) {
        warn(ctx, path.key("providers"), "multiple providers is not currently supported");
      }
    });
  }

  /** Locality failover only acts on hosts found unhealthy, which needs outlier detection. */
  static void failoverWithoutOutlierDetection(JsonNode spec, FieldPath at, RuleContext ctx) {
    failover(spec.path("trafficPolicy"), at.key("trafficPolicy"), ctx);
    Trees.forEach(spec.path("subsets"), at.key("subsets"),
        (subset, path) -> failover(subset.path("trafficPolicy"), path.key("trafficPolicy"), ctx));
  }

  private static void failover(JsonNode policy, FieldPath at, RuleContext ctx) {
    JsonNode locality = policy.path("loadBalancer").path("localityLbSetting");
    if ((IstioValues.nonEmpty(locality.path("failover")) || IstioValues.nonEmpty(locality.path("failoverPriority")))
        && !policy.has("outlierDetection")) {
      warn(ctx, at.then("loadBalancer.localityLbSetting"), "outlier detection policy must be provided for failover");
    }
  }
}
