package io.meshlint.core.rules.egress;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

@RuleMeta(
    code = "MSH1015",
    name = "DoubleTlsOrigination",
    severity = Severity.ERROR,
    summary = "A DestinationRule originates TLS towards a port the ServiceEntry declares HTTPS or TLS.",
    description = """
        A ServiceEntry port declared `HTTPS` or `TLS` carries traffic the application has already \
        encrypted (it calls `https://...`). A DestinationRule with `tls.mode: SIMPLE` or `MUTUAL` \
        for that port makes the sidecar wrap it in a second TLS session: the server receives a \
        TLS handshake inside a TLS session and the connection fails (the app sees a reset or \
        `wrong version number`; the sidecar logs `UF` with a TLS error).

        meshlint reports each originating `tls` of a DestinationRule (rule-wide, or port-level) \
        that applies to a port a ServiceEntry visible from the DestinationRule's namespace \
        declares `HTTPS` or `TLS` for its host. A rule-wide `tls` applies to every port without \
        its own port-level `tls`, so it is reported for a ServiceEntry that also has an HTTPS \
        port, the usual mistake when TLS origination for port 80 is written at the top of the \
        traffic policy. A port that a VirtualService's HTTP route sends requests to (Istio's \
        documented origination with a port rewrite, `80` to `443`, at the sidecar or at an egress \
        gateway) receives plain HTTP, and TLS originated there is not reported.

        Fix: originate TLS only for the port the application calls in plain HTTP \
        (`portLevelSettings` for port 80), or let the application do the TLS and drop the \
        DestinationRule's `tls`.""",
    subjects = {Kinds.DESTINATION_RULE},
    reads = {Kinds.SERVICE_ENTRY, Kinds.VIRTUAL_SERVICE})
public final class DoubleTlsOrigination implements Rule {

  @Override
  public void check(Resource dr, RuleContext ctx) {
    String host = dr.tree().path("spec").path("host").asText();
    if (host.isEmpty()) {
      return;
    }
    List<Resource> entries = ctx.mesh().serviceEntriesFor(host, dr.namespace());
    Set<Integer> ownTls = TlsOrigination.portsWithOwnTls(dr);
    String fqdn = TlsOrigination.hostOf(dr, ctx.mesh());
    TlsOrigination.Routes routes = new TlsOrigination.Routes(ctx.mesh(), fqdn);
    TlsOrigination.forEachSetting(dr, setting -> {
      List<String> encrypted = new ArrayList<>();
      for (Resource se : entries) {
        for (JsonNode port : TlsOrigination.portsOf(setting, se, ownTls)) {
          // A port a VirtualService's HTTP route sends to receives plain HTTP (Istio's TLS origination
          // with a port rewrite, at the sidecar or an egress gateway): the DestinationRule's TLS is the only one.
          if (TlsOrigination.declaresTls(port) && !TlsOrigination.plainHttpSentTo(routes.get(),
              fqdn, port.path("number").asInt())) {
            encrypted.add(port.path("number").asText() + " (" + port.path("protocol").asText() + ", ServiceEntry "
                + TlsOrigination.name(se) + ")");
          }
        }
      }
      if (!encrypted.isEmpty()) {
        ctx.report(setting.modePath(), "TLS is originated towards port(s) " + String.join(", ", encrypted) + " of "
            + host + ", where the application already speaks TLS: the traffic is encrypted twice and fails");
      }
    });
  }
}
