package io.meshlint.core.rules.egress;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@RuleMeta(
    code = "MSH1014",
    name = "TlsOriginationMismatch",
    severity = Severity.ERROR,
    summary = "A ServiceEntry and DestinationRule meant to originate TLS for an app that speaks HTTP do not fit.",
    description = """
        A legacy application that calls `http://api.example.com` (port 80) can reach an \
        HTTPS-only server without code changes when the sidecar originates the TLS. Istio's \
        "egress TLS origination" pattern needs two resources that agree:

        ```yaml
        kind: ServiceEntry            # the host, as the app sees it
        spec:
          hosts: [api.example.com]
          ports:
          - {number: 80, name: http, protocol: HTTP, targetPort: 443}
          - {number: 443, name: https, protocol: HTTPS}
          resolution: DNS
        ---
        kind: DestinationRule         # the sidecar turns port 80's requests into TLS to 443
        spec:
          host: api.example.com
          trafficPolicy:
            portLevelSettings:
            - port: {number: 80}
              tls: {mode: SIMPLE}
        ```

        meshlint reports, for a DestinationRule whose TLS mode is `SIMPLE` or `MUTUAL` and whose \
        host a ServiceEntry visible from its namespace declares:
        - a port-level setting for a port no such ServiceEntry declares: it never applies, and \
        the app's requests leave in plain HTTP (the server resets or redirects them);
        - TLS originated towards port 80 (the ServiceEntry port has no `targetPort`, or 80, or \
        the ServiceEntry has `resolution: NONE`, where Istio ignores `targetPort`): the server \
        there speaks plain HTTP and the handshake fails (503, `UF` with a TLS error), unless \
        VirtualServices route the requests of that port to another port (`match: [{port: 80}]` \
        with a destination port 443) and none to it, so that no request gets there;
        
        and, for a ServiceEntry without `resolution: NONE`, a plain HTTP port whose `targetPort` \
        is 443 with no visible DestinationRule originating TLS for it: the sidecar sends plain \
        HTTP to the HTTPS port, which fails (the server closes the connection or answers 400), \
        unless VirtualServices send that port's requests elsewhere (to another port, or to an \
        egress gateway that originates the TLS) so that none get there.

        Istio's documented forms of origination pass: the ServiceEntry's `targetPort` with \
        TLS for port 80, a VirtualService rewriting port 80 to 443 with TLS for 443 (see MSH1015), \
        and the same at an egress gateway.

        A DestinationRule that originates TLS towards a port the ServiceEntry already declares \
        HTTPS or TLS is MSH1015.

        Fix: follow the pattern above: ServiceEntry port 80 `protocol: HTTP` with \
        `targetPort: 443`, and a DestinationRule `portLevelSettings` entry for port 80 with \
        `tls.mode: SIMPLE` (and `sni` when the server needs it).""",
    subjects = {Kinds.DESTINATION_RULE, Kinds.SERVICE_ENTRY},
    reads = {Kinds.SERVICE_ENTRY, Kinds.DESTINATION_RULE, Kinds.VIRTUAL_SERVICE})
public final class TlsOriginationMismatch implements Rule {
  private static final int HTTPS_PORT = 443;
  private static final int HTTP_PORT = 80;

  @Override
  public void check(Resource subject, RuleContext ctx) {
    if (subject.kind().equals(Kinds.SERVICE_ENTRY)) {
      checkServiceEntry(subject, ctx);
    } else {
      checkDestinationRule(subject, ctx);
    }
  }

  private static void checkDestinationRule(Resource dr, RuleContext ctx) {
    String host = dr.tree().path("spec").path("host").asText();
    if (host.isEmpty()) {
      return;
    }
    List<Resource> entries = ctx.mesh().serviceEntriesFor(host, dr.namespace());
    if (entries.isEmpty()) {
      return;
    }
    Set<Integer> ownTls = TlsOrigination.portsWithOwnTls(dr);
    String fqdn = TlsOrigination.hostOf(dr, ctx.mesh());
    TlsOrigination.Routes routes = new TlsOrigination.Routes(ctx.mesh(), fqdn);
    TlsOrigination.forEachSetting(dr, setting -> {
      boolean declared = false;
      for (Resource se : entries) {
        for (JsonNode port : TlsOrigination.portsOf(setting, se, ownTls)) {
          declared = true;
          if (!TlsOrigination.declaresTls(port) && TlsOrigination.target(se, port) == HTTP_PORT
              && !TlsOrigination.rewrittenAway(routes.get(), fqdn,
                  port.path("number").asInt())) {
            ctx.report(setting.modePath(), "TLS is originated towards port 80 of " + host + " (ServiceEntry "
                + TlsOrigination.name(se) + " port " + port.path("number").asText() + " has no targetPort 443): the "
                + "server there speaks plain HTTP and the handshake fails");
          }
        }
      }
      if (setting.port() != null && !declared) {
        ctx.report(setting.modePath(), "Port " + setting.port() + " is not a port of the ServiceEntry for " + host
            + " (" + TlsOrigination.name(entries.get(0)) + "): this TLS setting never applies");
      }
    });
  }

  private static void checkServiceEntry(Resource se, RuleContext ctx) {
    FieldPath portsPath = FieldPath.of("spec", "ports");
    Map<String, TlsOrigination.Routes> routesByHost = new HashMap<>();
    Trees.forEach(se.tree().path("spec").path("ports"), portsPath, (port, path) -> {
      if (!port.path("protocol").asText().equalsIgnoreCase("HTTP") || TlsOrigination.target(se, port) != HTTPS_PORT
          || port.path("number").asInt() == HTTPS_PORT) {
        return;
      }
      Trees.forEach(se.tree().path("spec").path("hosts"), FieldPath.of("spec", "hosts"), (host, hostPath) -> {
        String fqdn = Hosts.toFqdn(host.asText(), se.namespace(), ctx.mesh().settings().clusterDomain());
        if (!originates(host.asText(), port.path("number").asInt(), se.namespace(), ctx)
            && !TlsOrigination.rewrittenAway(
                routesByHost.computeIfAbsent(fqdn, h -> new TlsOrigination.Routes(ctx.mesh(), h)).get(), fqdn,
                port.path("number").asInt())) {
          ctx.report(path.key("targetPort"), "Port " + port.path("number").asText() + " of " + host.asText()
              + " sends plain HTTP to port 443, and no DestinationRule visible from " + se.namespace()
              + " originates TLS for it: requests fail");
        }
      });
    });
  }

  private static boolean originates(String host, int port, String namespace, RuleContext ctx) {
    for (Resource dr : TlsOrigination.destinationRulesFor(host, namespace, ctx.mesh())) {
      Set<Integer> ownTls = TlsOrigination.portsWithOwnTls(dr);
      boolean[] found = {false};
      TlsOrigination.forEachSetting(dr, s -> found[0] |= s.port() == null ? !ownTls.contains(port) : s.port() == port);
      if (found[0]) {
        return true;
      }
    }
    return false;
  }
}
