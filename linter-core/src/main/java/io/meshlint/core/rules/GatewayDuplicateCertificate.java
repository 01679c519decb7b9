package io.meshlint.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.List;

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
        points at this Gateway's first server that shares the certificate.

        Fix: put the servers that share a certificate into one Gateway, or give each Gateway its \
        own certificate.""",
    subjects = {Kinds.GATEWAY})
public final class GatewayDuplicateCertificate implements Rule {

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    JsonNode servers = gateway.tree().path("spec").path("servers");
    List<Resource> candidates = ctx.mesh().gatewaysWithSelectorIncluding(
        Resource.stringMap(gateway.tree().path("spec").path("selector")));
    for (Resource other : candidates) {
      if (other.key().equals(gateway.key())) {
        continue;
      }
      for (int i = 0; i < servers.size(); i++) {
        if (sharesCertificate(servers.get(i).path("tls"), other.tree().path("spec").path("servers"))) {
          JsonNode tls = servers.get(i).path("tls");
          String field = tls.hasNonNull("credentialName") ? "credentialName" : "serverCertificate";
          ctx.report(FieldPath.of("spec", "servers", i, "tls", field), "Duplicate certificate in multiple gateways ["
              + gateway.namespace() + "/" + gateway.name() + " " + other.namespace() + "/" + other.name()
              + "] may cause 404s if clients re-use HTTP2 connections.");
          break;
        }
      }
    }
  }

  private static boolean sharesCertificate(JsonNode tls, JsonNode otherServers) {
    if (!tls.isObject()) {
      return false;
    }
    for (JsonNode server : otherServers) {
      if (server.path("tls").isObject() && sameCertificate(tls, server.path("tls"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameCertificate(JsonNode a, JsonNode b) {
    String credentialA = a.path("credentialName").asText("");
    String credentialB = b.path("credentialName").asText("");
    if (!credentialA.isEmpty() || !credentialB.isEmpty()) {
      return credentialA.equals(credentialB);
    }
    String certA = a.path("serverCertificate").asText("");
    String keyA = a.path("privateKey").asText("");
    return !certA.isEmpty() && certA.equals(b.path("serverCertificate").asText(""))
        && !keyA.isEmpty() && keyA.equals(b.path("privateKey").asText(""));
  }
}
