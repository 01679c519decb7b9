package io.meshlint.core.rules.virtualservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Kinds;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rule.Rule;
import io.meshlint.core.rule.RuleContext;
import io.meshlint.core.rule.RuleMeta;
import io.meshlint.core.rule.Severity;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.List;

@RuleMeta(
    code = "IST0112",
    name = "VirtualServiceDestinationPortSelectorRequired",
    severity = Severity.ERROR,
    summary = "A route sends traffic to a host with several ports without saying which port.",
    description = """
        A destination without `port` is ambiguous when its host exposes more than one port: the \
        route is applied to each of the host's ports, so traffic meant for the HTTP port may be \
        routed to, say, the metrics or gRPC port, and routes bound to ingress Gateways cannot \
        choose one at all.

        meshlint checks every `route[].destination` of `http`, `tcp` and `tls` routes and the \
        http `mirror` and `mirrors[]` destinations. The host is resolved as Istio resolves it from \
        the VirtualService's namespace: a Service (short name, `name.namespace`, \
        `name.namespace.svc` or the full name, honouring `networking.istio.io/exportTo`), else a \
        visible ServiceEntry. A host that resolves to nothing is IST0101's business.

        Fix: add `port: {number: N}` to the destination.""",
    subjects = {Kinds.VIRTUAL_SERVICE},
    reads = {Kinds.SERVICE, Kinds.SERVICE_ENTRY})
public final class VirtualServiceDestinationPortSelectorRequired implements Rule {

  @Override
  public void check(Resource vs, RuleContext ctx) {
    JsonNode spec = vs.tree().path("spec");
    FieldPath specPath = FieldPath.of("spec");
    for (String protocol : new String[] {"http", "tcp", "tls"}) {
      Trees.forEach(spec.path(protocol), specPath.key(protocol), (route, routePath) -> {
        Trees.forEach(route.path("route"), routePath.key("route"),
            (d, dPath) -> checkDestination(vs, d.path("destination"), dPath.key("destination"), ctx));
        if (protocol.equals("http")) {
          checkDestination(vs, route.path("mirror"), routePath.key("mirror"), ctx);
          Trees.forEach(route.path("mirrors"), routePath.key("mirrors"),
              (m, mPath) -> checkDestination(vs, m.path("destination"), mPath.key("destination"), ctx));
        }
      });
    }
  }

  private static void checkDestination(Resource vs, JsonNode destination, FieldPath path, RuleContext ctx) {
    JsonNode host = destination.path("host");
    if (!host.isTextual() || host.asText().isEmpty() || Hosts.isWildcard(host.asText())
        || destination.path("port").has("number")) {
      return;
    }
    List<Integer> ports = ports(host.asText(), vs.namespace(), ctx.mesh());
    if (ports.size() > 1) {
      ctx.report(path.key("host"), "This VirtualService routes to a service \"" + host.asText()
          + "\" that exposes multiple ports " + ports.toString().replace(",", "")
          + ". Specifying a port in the destination is required to disambiguate.");
    }
  }

  /** The port numbers of the Service or ServiceEntry the host resolves to; empty when it resolves to none. */
  private static List<Integer> ports(String host, String namespace, MeshView mesh) {
    List<Integer> out = new ArrayList<>();
    Resource service = mesh.service(host, namespace);
    if (service != null) {
      service.tree().path("spec").path("ports").forEach(p -> out.add(p.path("port").asInt()));
      return out;
    }
    List<Resource> entries = mesh.serviceEntriesFor(host, namespace);
    if (!entries.isEmpty()) {
      entries.get(0).tree().path("spec").path("ports").forEach(p -> out.add(p.path("number").asInt()));
    }
    return out;
  }
}
