package io.meshlint.core.rules.schema;

import static io.meshlint.core.rules.schema.IstioValues.duration;
import static io.meshlint.core.rules.schema.IstioValues.nonEmpty;
import static io.meshlint.core.rules.schema.IstioValues.notNegative;
import static io.meshlint.core.rules.schema.IstioValues.textPresent;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Istio's DestinationRule validation (traffic policies are shared with Sidecars), for {@link SchemaValidationError}. */
final class DestinationRuleValidation {
  private DestinationRuleValidation() {}

  private static final Set<String> TOPOLOGY_LABELS =
      Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");
  private static final List<String> HASH_KEYS =
      List.of("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName");

  static void check(String namespace, JsonNode spec, FieldPath at, SchemaFindings out) {
    JsonNode host = spec.path("host");
    if (!textPresent(host)) {
      out.report(spec.has("host") ? at.key("host") : at, "destination rule must have a host");
    } else if (IstioValues.wildcardDomainProblem(host.asText()) != null) {
      out.report(at.key("host"), IstioValues.wildcardDomainProblem(host.asText()));
    }
    trafficPolicy(spec.path("trafficPolicy"), at.key("trafficPolicy"), out);
    Set<String> names = new HashSet<>();
    Trees.forEach(spec.path("subsets"), at.key("subsets"), (subset, path) -> {
      JsonNode name = subset.path("name");
      if (!textPresent(name)) {
        out.report(path, "subset name is required");
      } else if (!names.add(name.asText())) {
        out.report(path.key("name"), "duplicate subset names: " + name.asText());
      } else if (!IstioValues.isDns1123Label(name.asText())) {
        out.report(path.key("name"), "subset name is invalid: " + name.asText());
      }
      IstioValues.labels(subset.path("labels"), path.key("labels"), out);
      trafficPolicy(subset.path("trafficPolicy"), path.key("trafficPolicy"), out);
    });
    JsonNode selector = spec.path("workloadSelector");
    IstioValues.selectorLabels(selector.path("matchLabels"), at.then("workloadSelector.matchLabels"), out);
    JsonNode exportTo = spec.path("exportTo");
    IstioValues.exportTo(exportTo, namespace, false, at.key("exportTo"), out);
    if (selector.isObject() && nonEmpty(exportTo)) {
      Set<String> targets = new HashSet<>();
      exportTo.forEach(e -> targets.add(e.asText("").equals(".") ? namespace : e.asText("")));
      if (!targets.contains(namespace)) {
        out.report(at.key("exportTo"), "destination rule with workload selector cannot have exportTo beyond current namespace");
      } else if (targets.size() > 1) {
        out.report(at.key("exportTo"), "destination rule with workload selector cannot have multiple entries in exportTo");
      }
    }
  }

  private static void trafficPolicy(JsonNode policy, FieldPath at, SchemaFindings out) {
    if (!policy.isObject()) {
      return;
    }
    if (policy.isEmpty()) {
      out.report(at, "traffic policy must have at least one field");
      return;
    }
    if (policy.has("tunnel") && policy.has("proxyProtocol")) {
      out.report(at, "tunnel and proxyProtocol must not be set together");
    }
    settings(policy, at, out);
    tunnel(policy.path("tunnel"), at.key("tunnel"), out);
    Trees.forEach(policy.path("portLevelSettings"), at.key("portLevelSettings"), (p, path) -> {
      if (!p.path("port").isObject()) {
        out.report(path, "portTrafficPolicy must have valid port");
      }
      if (!p.has("outlierDetection") && !p.has("connectionPool") && !p.has("loadBalancer") && !p.has("tls")) {
        out.report(path, "port traffic policy must have at least one field");
      }
      settings(p, path, out);
    });
  }

  private static void settings(JsonNode policy, FieldPath at, SchemaFindings out) {
    outlierDetection(policy.path("outlierDetection"), at.key("outlierDetection"), out);
    connectionPool(policy.path("connectionPool"), at.key("connectionPool"), out);
    loadBalancer(policy.path("loadBalancer"), at.key("loadBalancer"), out);
    clientTls(policy.path("tls"), at.key("tls"), out);
  }

  private static void tunnel(JsonNode tunnel, FieldPath at, SchemaFindings out) {
    if (!tunnel.isObject()) {
      return;
    }
    String protocol = tunnel.path("protocol").asText("");
    if (!protocol.isEmpty() && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
      out.report(at.key("protocol"), "tunnel protocol must be \"CONNECT\" or \"POST\"");
    }
    String target = tunnel.path("targetHost").asText("");
    if (!IstioValues.isFqdn(target) && !IstioValues.isIpAddress(target)) {
      out.report(tunnel.has("targetHost") ? at.key("targetHost") : at,
          "tunnel target host must be valid FQDN or IP address");
    }
    long port = tunnel.path("targetPort").asLong(0);
    if (port < 1 || port > 65535) {
      out.report(tunnel.has("targetPort") ? at.key("targetPort") : at,
          "tunnel target port is invalid: port number " + port + " must be in the range 1..65535");
    }
  }

  private static void outlierDetection(JsonNode outlier, FieldPath at, SchemaFindings out) {
    if (!outlier.isObject()) {
      return;
    }
    duration(outlier, "interval", at, out);
    duration(outlier, "baseEjectionTime", at, out);
    if (!outlier.path("splitExternalLocalOriginErrors").asBoolean(false)
        && outlier.path("consecutiveLocalOriginFailures").asLong(0) > 0) {
      out.report(at.key("consecutiveLocalOriginFailures"), "outlier detection consecutive local origin failures is "
          + "specified, but split external local origin errors is set to false");
    }
    IstioValues.percent(outlier.path("maxEjectionPercent"), at.key("maxEjectionPercent"), out);
    IstioValues.percent(outlier.path("minHealthPercent"), at.key("minHealthPercent"), out);
  }

  /** Connection pool settings, of DestinationRules and of Sidecar ingress listeners. */
  static void connectionPool(JsonNode pool, FieldPath at, SchemaFindings out) {
    if (!pool.isObject()) {
      return;
    }
    JsonNode http = pool.path("http");
    JsonNode tcp = pool.path("tcp");
    if (!http.isObject() && !tcp.isObject()) {
      out.report(at, "connection pool must have at least one field");
      return;
    }
    FieldPath httpPath = at.key("http");
    notNegative(http, "http1MaxPendingRequests", httpPath, "http1 max pending requests", out);
    notNegative(http, "http2MaxRequests", httpPath, "http2 max requests", out);
    notNegative(http, "maxRequestsPerConnection", httpPath, "max requests per connection", out);
    notNegative(http, "maxRetries", httpPath, "max retries", out);
    notNegative(http, "maxConcurrentStreams", httpPath, "max concurrent streams", out);
    duration(http, "idleTimeout", httpPath, out);
    if (http.path("h2UpgradePolicy").asText("").equals("UPGRADE") && http.path("useClientProtocol").asBoolean(false)) {
      out.report(httpPath.key("useClientProtocol"), "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
    }
    FieldPath tcpPath = at.key("tcp");
    notNegative(tcp, "maxConnections", tcpPath, "max connections", out);
    duration(tcp, "connectTimeout", tcpPath, out);
    duration(tcp, "maxConnectionDuration", tcpPath, out);
    duration(tcp, "idleTimeout", tcpPath, out);
    duration(tcp.path("tcpKeepalive"), "time", tcpPath.key("tcpKeepalive"), out);
    duration(tcp.path("tcpKeepalive"), "interval", tcpPath.key("tcpKeepalive"), out);
  }

  private static void loadBalancer(JsonNode lb, FieldPath at, SchemaFindings out) {
    if (!lb.isObject()) {
      return;
    }
    if (lb.has("simple") && lb.has("consistentHash")) {
      out.report(at, "only one of simple or consistentHash can be set");
    }
    JsonNode hash = lb.path("consistentHash");
    FieldPath hashPath = at.key("consistentHash");
    if (hash.isObject()) {
      List<String> keys = new ArrayList<>(HASH_KEYS);
      keys.removeIf(k -> !hash.has(k));
      if (keys.size() > 1) {
        out.report(hashPath, "only one of " + String.join(", ", keys) + " can be set");
      }
      if (hash.path("httpCookie").isObject() && !textPresent(hash.path("httpCookie").path("name"))) {
        out.report(hashPath.key("httpCookie"), "name required for HttpCookie");
      }
      if (hash.has("ringHash") && hash.has("maglev")) {
        out.report(hashPath, "only one of ringHash or maglev can be set");
      } else if (hash.path("minimumRingSize").asLong(0) != 0 && (hash.has("ringHash") || hash.has("maglev"))) {
        out.report(hashPath.key("minimumRingSize"), "only one of MinimumRingSize or Maglev/Ringhash can be specified");
      }
      JsonNode maglev = hash.path("maglev");
      if (maglev.isObject()) {
        long size = maglev.path("tableSize").asLong(0);
        FieldPath sizePath = maglev.has("tableSize") ? hashPath.then("maglev.tableSize") : hashPath.key("maglev");
        if (size == 0) {
          out.report(sizePath, "tableSize must be set for maglev");
        } else if (size >= 5000011) {
          out.report(sizePath, "tableSize must be less than 5000011 for maglev");
        } else if (!isPrime(size)) {
          out.report(sizePath, "tableSize must be a prime number for maglev");
        }
      }
    }
    localityLb(lb.path("localityLbSetting"), at.key("localityLbSetting"), out);
    duration(lb, "warmupDurationSecs", at, out);
  }

  /** Envoy's primality test for Maglev table sizes. */
  private static boolean isPrime(long x) {
    if (x != 0 && x < 4) {
      return true;
    }
    if (x % 2 == 0) {
      return false;
    }
    for (long f = 3; f * f <= x; f += 2) {
      if (x % f == 0) {
        return false;
      }
    }
    return true;
  }

  private static void localityLb(JsonNode lb, FieldPath at, SchemaFindings out) {
    if (!lb.isObject()) {
      return;
    }
    JsonNode distribute = lb.path("distribute");
    JsonNode failover = lb.path("failover");
    if (nonEmpty(distribute) && nonEmpty(failover)) {
      out.report(at, "can not simultaneously specify 'distribute' and 'failover'");
      return;
    }
    if (nonEmpty(failover)) {
      Trees.forEach(lb.path("failoverPriority"), at.key("failoverPriority"), (label, path) -> {
        if (TOPOLOGY_LABELS.contains(label.asText(""))) {
          out.report(path, "can not simultaneously set 'failover' and topology label '" + label.asText()
              + "' in 'failover_priority'");
        }
      });
    }
    List<String> sources = new ArrayList<>();
    Trees.forEach(distribute, at.key("distribute"), (d, path) -> {
      sources.add(d.path("from").asText(""));
      long total = 0;
      List<String> targets = new ArrayList<>();
      boolean weightsOk = true;
      for (var it = d.path("to").fields(); it.hasNext(); ) {
        var e = it.next();
        targets.add(e.getKey());
        long weight = e.getValue().asLong(0);
        if (weight <= 0 || weight > 100) {
          out.report(path.key("to").key(e.getKey()), "locality weight must be in range [1, 100]");
          weightsOk = false;
        }
        total += weight;
      }
      if (weightsOk && total != 100) {
        out.report(path.key("to"), "total locality weight " + total + " != 100");
      }
      localities(targets, path.key("to"), out);
    });
    localities(sources, at.key("distribute"), out);
    Trees.forEach(failover, at.key("failover"), (f, path) -> {
      String from = f.path("from").asText("");
      String to = f.path("to").asText("");
      if (from.equals(to)) {
        out.report(path, "locality lb failover settings must specify different regions");
      } else if (from.contains("/") || to.contains("/")) {
        out.report(path, "locality lb failover only specify region");
      } else if (from.contains("*") || to.contains("*")) {
        out.report(path, "locality lb failover region should not contain '*' wildcard");
      }
    });
  }

  /** Localities {@code region/zone/subzone}: no empty part, one trailing wildcard at most, no overlap. */
  private static void localities(List<String> localities, FieldPath at, SchemaFindings out) {
    Set<String> seen = new HashSet<>();
    for (String locality : localities) {
      int stars = locality.length() - locality.replace("*", "").length();
      if (stars > 1 || (stars == 1 && !locality.endsWith("*"))) {
        out.report(at, "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end");
        return;
      }
      String[] parts = locality.split("/", 3);
      for (String part : parts) {
        if (part.isEmpty()) {
          out.report(at, "locality " + locality + " must not contain empty region/zone/subzone info");
          return;
        }
      }
      // A locality overlaps an earlier one when either is a prefix of the other, part by part.
      String normalized = locality.endsWith("/*") ? locality.substring(0, locality.length() - 2) : locality;
      for (String earlier : seen) {
        if (earlier.equals("*") || earlier.equals(normalized)
            || normalized.startsWith(earlier + "/") || earlier.startsWith(normalized + "/")) {
          out.report(at, "locality " + locality + " overlap with previous specified ones");
          return;
        }
      }
      seen.add(normalized);
    }
  }

  /** Client TLS settings: certificates as the mode needs them, none beside a credential. */
  private static void clientTls(JsonNode tls, FieldPath at, SchemaFindings out) {
    if (!tls.isObject()) {
      return;
    }
    String mode = tls.path("mode").asText("DISABLE");
    boolean credential = textPresent(tls.path("credentialName"));
    if (tls.path("insecureSkipVerify").asBoolean(false)) {
      if (mode.equals("SIMPLE") && (textPresent(tls.path("caCertificates")) || credential
          || tls.has("subjectAltNames"))) {
        out.report(at.key("insecureSkipVerify"),
            "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
      } else if (mode.equals("MUTUAL") && (textPresent(tls.path("caCertificates")) || tls.has("subjectAltNames"))) {
        out.report(at.key("insecureSkipVerify"),
            "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
      }
    }
    if ((mode.equals("SIMPLE") || mode.equals("MUTUAL")) && credential) {
      if (textPresent(tls.path("clientCertificate")) || textPresent(tls.path("caCertificates"))
          || textPresent(tls.path("privateKey")) || textPresent(tls.path("caCrl"))) {
        out.report(at.key("credentialName"),
            "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
      }
      return;
    }
    if (mode.equals("MUTUAL")) {
      if (!textPresent(tls.path("clientCertificate"))) {
        out.report(at, "client certificate required for mutual tls");
      } else if (!textPresent(tls.path("privateKey"))) {
        out.report(at, "private key required for mutual tls");
      }
    }
  }
}
