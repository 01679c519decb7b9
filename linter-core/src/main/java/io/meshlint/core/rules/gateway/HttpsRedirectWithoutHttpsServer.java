package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshIndex;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.Locale;

@RuleMeta(
    code = "MSH1028",
    name = "HttpsRedirectWithoutHttpsServer",
    severity = Severity.WARNING,
    summary = "A Gateway server redirects a host to HTTPS, but no HTTPS server serves that host.",
    description = """
        `tls.httpsRedirect: true` answers every plain-HTTP request with `301` to \
        `https://host/...` on the default port 443. When no Gateway on the same ingress serves \
        that host over HTTPS, the browser follows the redirect into a connection refused, a \
        reset, or a certificate for another host: the site is unreachable over both schemes.

        meshlint reports each host of a redirecting server when neither the same Gateway has an \
        `HTTPS` server (on any port) nor a Gateway with the same selector has an `HTTPS` or \
        `TLS` server on port 443 whose hosts include it (`*.example.com` covers \
        `shop.example.com`).

        Fix: add an HTTPS server for the host (with its `tls` credential), or stop redirecting it.""",
    subjects = {Kinds.GATEWAY})
public final class HttpsRedirectWithoutHttpsServer implements Rule {
  private static final int HTTPS_PORT = 443;

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    JsonNode spec = gateway.tree().path("spec");
    String selector = MeshIndex.selectorKey(spec.path("selector"));
    Trees.forEach(spec.path("servers"), FieldPath.of("spec", "servers"), (server, serverPath) -> {
      if (!server.path("tls").path("httpsRedirect").asBoolean(false)) {
        return;
      }
      Trees.forEach(server.path("hosts"), serverPath.key("hosts"), (hostNode, hostPath) -> {
        String host = GatewayHost.parse(hostNode.asText()).host();
        if (!servesHttps(gateway, host, -1)
            && ctx.mesh().gatewaysClaiming(selector, HTTPS_PORT, host).stream()
                .noneMatch(g -> servesHttps(g, host, HTTPS_PORT))) {
          ctx.report(hostPath, "Requests for \"" + host + "\" are redirected to HTTPS, but no HTTPS server of this "
              + "ingress serves that host: the redirect leads nowhere");
        }
      });
    });
  }

  /** True when the Gateway has an HTTPS server (or a TLS one, on a given port) covering the host; port -1 for any. */
  private static boolean servesHttps(Resource gateway, String host, int port) {
    for (JsonNode server : gateway.tree().path("spec").path("servers")) {
      String protocol = server.path("port").path("protocol").asText("").toUpperCase(Locale.ROOT);
      boolean secure = protocol.equals("HTTPS") || (port > 0 && protocol.equals("TLS"));
      if (!secure || (port > 0 && server.path("port").path("number").asInt() != port)) {
        continue;
      }
      for (JsonNode h : server.path("hosts")) {
        if (Hosts.covers(GatewayHost.parse(h.asText()).host(), host)) {
          return true;
        }
      }
    }
    return false;
  }
}
