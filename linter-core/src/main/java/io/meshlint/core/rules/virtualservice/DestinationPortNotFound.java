package io.meshlint.core.rules.virtualservice;

import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import java.util.List;

@RuleMeta(
    code = "MSH1006",
    name = "DestinationPortNotFound",
    severity = Severity.ERROR,
    summary = "A route or mirror sends traffic to a port its host does not expose.",
    description = """
        Istio builds one upstream cluster per port of a Service or ServiceEntry. A destination \
        whose `port.number` the host does not expose names a cluster that does not exist: its \
        requests fail with 503 (`NC`, no cluster), or the mirror copies are dropped. Typical \
        causes are the container port (`targetPort`) written instead of the Service port, or a \
        port renumbered in the Service but not in the VirtualService.

        meshlint checks every `route[].destination` of `http`, `tcp` and `tls` routes and the http \
        `mirror` and `mirrors[]` destinations whose host resolves, from the VirtualService's \
        namespace, to a Service (its `ports[].port`) or else to a visible ServiceEntry (its \
        `ports[].number`). Hosts that resolve to nothing are IST0101's business.

        Fix: use one of the ports the message lists (the Service port, not the container port).""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY})
public final class DestinationPortNotFound implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    Destinations.forEach(vs, site -> {
      if (!site.destination().path("port").path("number").canConvertToInt()) {
        return;
      }
      int port = site.destination().path("port").path("number").asInt();
      List<Destinations.Port> ports = Destinations.ports(site.host(), vs.namespace(), ctx.mesh());
      if (ports != null && ports.stream().noneMatch(p -> p.number() == port)) {
        ctx.report(site.path().then("port.number"), "Host " + site.host() + " does not expose port " + port
            + " (its ports: " + ports.stream().map(p -> String.valueOf(p.number())).toList() + ")");
      }
    });
  }
}
