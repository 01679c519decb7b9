package io.meshlint.core.rules.virtualservice;

import io.meshlint.core.mesh.Protocols;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import java.util.List;

@RuleMeta(
    code = "MSH1007",
    name = "RouteProtocolMismatch",
    severity = Severity.WARNING,
    summary = "An http route targets a TCP-only port, or a tls route a plain HTTP port.",
    description = """
        Istio treats each port by its declared protocol: on a Service, `appProtocol`, else the \
        port name's prefix (`http-`, `grpc-`, `tcp-`, `tls-`, ...); on a ServiceEntry, \
        `protocol`. The proxy applies a VirtualService's `http` routes only on HTTP ports and its \
        `tls` routes only on TLS or opaque TCP ports:
        - an `http` route to a port declared `tcp`, `mongo`, `mysql` or `redis`: the proxy \
        forwards that port's connections as plain TCP, so the route's matches, retries, \
        timeouts, faults, header rules and weights never apply;
        - a `tls` route to a port declared `http`, `http2`, `grpc`, `grpc-web` or `http_proxy`: \
        the proxy serves the port as HTTP and never looks at SNI, so the route never matches, and \
        TLS sent to a port declared plain HTTP is not understood as HTTP.

        meshlint checks `route[].destination` of http and tls routes whose host resolves to a \
        Service or a visible ServiceEntry; the port is `destination.port.number`, or the host's \
        only port. Ports whose protocol Istio sniffs (unnamed or unknown prefix) are not judged.

        Fix: name the port for its real protocol (`http-web`, `tcp-db`, or set `appProtocol`), \
        or move the route to the section that fits (`tcp` for TCP ports, `http` for HTTP ports).""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY})
public final class RouteProtocolMismatch implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Destinations.forEach(vs, site -> {
      if (site.mirror() || site.protocol().equals("tcp")) {
        return;
      }
      List<Destinations.Port> ports = Destinations.ports(site.host(), vs.namespace(), ctx.mesh());
      if (ports == null) {
        return;
      }
      Destinations.Port port = null;
      if (site.destination().path("port").path("number").canConvertToInt()) {
        int number = site.destination().path("port").path("number").asInt();
        port = ports.stream().filter(p -> p.number() == number).findFirst().orElse(null);
      } else if (ports.size() == 1) {
        port = ports.get(0);
      }
      if (port == null) {
        return;
      }
      if (site.protocol().equals("http") && Protocols.isOpaque(port.protocol())) {
        ctx.report(site.path(), "http route to port " + port.number() + " of " + site.host() + ", which is declared "
            + port.protocol() + ": the proxy forwards it as plain TCP and this route's HTTP rules never apply");
      } else if (site.protocol().equals("tls") && Protocols.isHttp(port.protocol())) {
        ctx.report(site.path(), "tls route to port " + port.number() + " of " + site.host() + ", which is declared "
            + port.protocol() + ": the proxy serves it as HTTP, so this SNI route never matches");
      }
    });
  }
}
