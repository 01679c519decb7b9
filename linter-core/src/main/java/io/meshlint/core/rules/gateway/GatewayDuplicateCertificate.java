package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Resource;
import io.meshlint.core.model.ResourceKey;
import io.meshlint.core.rule.OncePerSubject;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Others;
import io.meshlint.core.source.FieldPath;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "IST0138",
    name = "GatewayDuplicateCertificate",
    severity = Severity.WARNING,
    summary = "Two Gateways on the same workload serve the same TLS certificate.",
    description = """
        When two Gateways configure the same gateway workload with the same certificate, a client \
        (typically a browser) that connected for a host of one Gateway may reuse its HTTP/2 \
        connection for a host of the other, because the certificate covers both. Envoy routes the \
        reused connection with the first Gateway's filter chain and answers 404 for the second \
        host (envoyproxy/envoy#6767).

        meshlint reports, as `istioctl analyze` does, a Gateway when another Gateway whose \
        `selector` includes all of its selector's labels (every Gateway, for an empty selector) \
        has a TLS server with the same certificate: the same `tls.credentialName`, or, when \
        neither uses `credentialName`, the same `serverCertificate` and `privateKey` files. Hosts \
        are not compared, as Istio does not compare them. Gateways of all namespaces are \
        considered (Istio's default, `PILOT_SCOPE_GATEWAY_TO_NAMESPACE=false`). The finding \
        points at this Gateway's first server that shares the certificate. Unlike \
        `istioctl analyze`, which reports every pair, meshlint reports each Gateway once and names \
        the others (ten of them, then how many more): a wildcard certificate shared by a hundred \
        teams' Gateways gives a hundred findings, not ten thousand.

        Fix: put the servers that share a certificate into one Gateway, or give each Gateway its \
        own certificate.""",
    subjects = {Kinds.GATEWAY})
@OncePerSubject
public final class GatewayDuplicateCertificate implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    Map<String, String> selector = Resource.stringMap(gateway.tree().path("spec").path("selector"));
    String label = selector.entrySet().stream().findFirst().map(e -> e.getKey() + "=" + e.getValue()).orElse(null);
    JsonNode servers = gateway.tree().path("spec").path("servers");
    // The servers' certificates, each with the first server that uses it.
    Map<String, Integer> certificates = new LinkedHashMap<>();
    for (int i = 0; i < servers.size(); i++) {
      String certificate = MeshIndex.certificateKey(servers.path(i).path("tls"));
      if (certificate != null) {
        certificates.putIfAbsent(certificate, i);
      }
    }
    if (certificates.size() == 1 && selector.size() <= 1) {
      checkOneCertificate(gateway, label, certificates.keySet().iterator().next(), certificates.values().iterator().next(),
          ctx);
      return;
    }
    Set<ResourceKey> seen = new HashSet<>();
    seen.add(gateway.key());
    Others others = new Others();
    FieldPath first = null;
    for (Map.Entry<String, Integer> server : certificates.entrySet()) {
      // Gateways that carry one label of the selector, from the index: with one label (as ingress
      // selectors have), all of them include it.
      List<Resource> candidates = selector.isEmpty() ? ctx.mesh().gatewaysWithCertificate(server.getKey())
          : ctx.mesh().gatewaysWithCertificate(server.getKey(), label);
      for (Resource other : candidates) {
        if (other != gateway && (selector.size() == 1 || selectorIncludes(other, selector)) && seen.add(other.key())) {
          others.add(() -> other.namespace() + "/" + other.name());
          if (first == null) {
            first = at(servers, server.getValue());
          }
        }
      }
    }
    report(gateway, others, first, ctx);
  }

  /**
   * One certificate and a selector of at most one label, as every ingress Gateway of a platform has:
   * every Gateway the index lists for them shares the certificate on the same workload, so the
   * index counts them and only the names shown are listed; thousands of teams' Gateways sharing a
   * wildcard certificate cost what ten do.
   */
  private static void checkOneCertificate(Resource gateway, String label, String certificate, int server,
      RuleContext ctx) {
    int count = ctx.mesh().countGatewaysWithCertificate(certificate, label, gateway.key());
    if (count == 0) {
      return;
    }
    Set<ResourceKey> seen = new HashSet<>();
    seen.add(gateway.key());
    Others others = new Others();
    for (Resource other : ctx.mesh().firstGatewaysWithCertificate(certificate, label, Others.SHOWN,
        other -> seen.add(other.key()))) {
      others.add(other.namespace() + "/" + other.name());
    }
    others.addUnnamed(count - others.count());
    report(gateway, others, at(gateway.tree().path("spec").path("servers"), server), ctx);
  }

  private static FieldPath at(JsonNode servers, int i) {
    JsonNode tls = servers.path(i).path("tls");
    return FieldPath.of("spec", "servers", i, "tls", tls.hasNonNull("credentialName") ? "credentialName" : "serverCertificate");
  }

  private static void report(Resource gateway, Others others, FieldPath first, RuleContext ctx) {
    if (!others.isEmpty()) {
      ctx.report(first, "Duplicate certificate in multiple gateways [" + gateway.namespace() + "/" + gateway.name() + " "
          + others.joined(" ") + "] may cause 404s if clients re-use HTTP2 connections.");
    }
  }

  /** True when the other Gateway's selector has every label of {@code selector} (any Gateway, for an empty one). */
  private static boolean selectorIncludes(Resource other, Map<String, String> selector) {
    JsonNode theirs = other.tree().path("spec").path("selector");
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(theirs.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
