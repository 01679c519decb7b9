package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.GatewayRef;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

@RuleMeta(
    code = "MSH1029",
    name = "PassthroughServerWithHttpRoutes",
    severity = Severity.WARNING,
    summary = "A VirtualService has `http` routes for hosts that its Gateways only pass through as TLS.",
    description = """
        A Gateway server with `tls.mode: PASSTHROUGH` (or `AUTO_PASSTHROUGH`) does not decrypt: \
        the ingress only sees the TLS handshake's SNI and forwards the encrypted stream. Only \
        `tls` routes (matched by `sniHosts`) apply there; `http` routes, with their paths, \
        headers, rewrites and retries, never match, and the connection is closed because no \
        route takes it.

        meshlint reports the `http` routes of a VirtualService bound to Gateways (and not to the \
        mesh) when every server of those Gateways that admits it and shares one of its hosts is a \
        passthrough server.

        Fix: route with `tls` and `match: [{sniHosts: [...]}]` to the backend that terminates TLS; \
        or, to route by HTTP attributes, make the server terminate TLS (`mode: SIMPLE` with a \
        `credentialName`).""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.GATEWAY})
public final class PassthroughServerWithHttpRoutes implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    JsonNode gateways = spec.path("gateways");
    if (!spec.path("http").isArray() || spec.path("http").isEmpty() || !gateways.isArray() || gateways.isEmpty()) {
      return;
    }
    List<String> passthrough = new ArrayList<>();
    for (JsonNode name : gateways) {
      GatewayRef ref = GatewayRef.parse(name.asText(), vs.namespace());
      if (ref.isMesh()) {
        return;
      }
      // The spec only: a change to a Gateway's labels or annotations does not check its VirtualServices again.
      JsonNode gateway = ctx.mesh().gatewaySpec(ref);
      if (gateway == null) {
        continue;
      }
      for (JsonNode server : gateway.path("servers")) {
        if (serves(server, vs, ref.namespace())) {
          if (!isPassthrough(server)) {
            return;
          }
          passthrough.add(ref + " port " + server.path("port").path("number").asText("?"));
        }
      }
    }
    if (!passthrough.isEmpty()) {
      ctx.report(FieldPath.of("spec", "http"), "The gateway servers for these hosts (" + String.join(", ", passthrough)
          + ") pass TLS through without decrypting it: http routes never match there; use tls routes with sniHosts");
    }
  }

  private static boolean serves(JsonNode server, Resource vs, String gatewayNamespace) {
    for (JsonNode h : server.path("hosts")) {
      GatewayHost host = GatewayHost.parse(h.asText());
      if (host.admits(vs.namespace(), gatewayNamespace)) {
        for (JsonNode vsHost : vs.tree().path("spec").path("hosts")) {
          if (Hosts.intersect(host.host(), vsHost.asText())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** An HTTPS or TLS server whose mode, PASSTHROUGH when unset, forwards TLS undecrypted. */
  private static boolean isPassthrough(JsonNode server) {
    String protocol = server.path("port").path("protocol").asText("").toUpperCase(Locale.ROOT);
    String mode = server.path("tls").path("mode").asText("PASSTHROUGH");
    return (protocol.equals("HTTPS") || protocol.equals("TLS"))
        && (mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH"));
  }
}
