package io.meshlint.core.rules.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.GatewayHost;
import io.meshlint.core.mesh.GatewayRef;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@RuleMeta(
    code = "MSH1001",
    name = "UnboundGatewayHost",
    severity = Severity.WARNING,
    summary = "A Gateway server host that no VirtualService bound to that Gateway serves.",
    description = """
        A Gateway only opens a port on the ingress proxy; requests for its hosts are routed only if \
        a VirtualService names the Gateway in `gateways` and lists a matching host. Without one, \
        the ingress answers 404 for that host, which looks like an application problem. It is the \
        usual result of a typo in a VirtualService's `gateways` or `hosts`, or of a VirtualService \
        in a namespace the host's `namespace/` prefix does not admit.

        Hosts match as Istio matches them: `*.example.com` on either side matches \
        `shop.example.com`, and `*` matches everything. Servers that only redirect to HTTPS \
        (`tls.httpsRedirect: true`) and `AUTO_PASSTHROUGH` servers need no VirtualService and are \
        skipped. Gateways with the same selector share one route table for each plain HTTP port \
        (Istio merges their routes), so a host that another such Gateway serves on the same port \
        is served.

        Fix: bind a VirtualService (`gateways: [namespace/gateway-name]`, `hosts: [the host]`), or \
        remove the host from the Gateway.""",
    subjects = {Kinds.GATEWAY},
    reads = {Kinds.VIRTUAL_SERVICE, Kinds.GATEWAY})
public final class UnboundGatewayHost implements Rule {
  private static final java.util.Set<String> PLAIN_HTTP = java.util.Set.of("HTTP", "HTTP2", "GRPC");

  @Override
  public void check(Resource gateway, RuleContext ctx) {
    GatewayRef ref = new GatewayRef(gateway.namespace(), gateway.name());
    BoundHosts bound = new BoundHosts(ctx.mesh().virtualServicesBoundTo(ref));
    Trees.forEach(gateway.tree().path("spec").path("servers"), FieldPath.of("spec", "servers"), (server, serverPath) -> {
      JsonNode tls = server.path("tls");
      if (tls.path("httpsRedirect").asBoolean(false) || "AUTO_PASSTHROUGH".equals(tls.path("mode").asText())) {
        return;
      }
      Trees.forEach(server.path("hosts"), serverPath.key("hosts"), (hostNode, hostPath) -> {
        GatewayHost host = GatewayHost.parse(hostNode.asText());
        if (!bound.serve(host, gateway.namespace()) && !servedBySharingGateway(gateway, server, host, ctx)) {
          ctx.report(hostPath, "Gateway host \"" + hostNode.asText() + "\" on port "
              + server.path("port").path("number").asText("?") + " is not served by any VirtualService bound to gateway "
              + ref + ": requests for it get 404");
        }
      });
    });
  }

  /**
   * True when the server is plain HTTP and another Gateway with the same selector serves the host on
   * the same port: Istio merges the plain HTTP routes of a gateway's port into one route table.
   */
  private static boolean servedBySharingGateway(Resource gateway, JsonNode server, GatewayHost host,
      RuleContext ctx) {
    JsonNode port = server.path("port");
    if (!PLAIN_HTTP.contains(port.path("protocol").asText().toUpperCase(java.util.Locale.ROOT))
        || !port.path("number").canConvertToInt()) {
      return false;
    }
    String selector = MeshIndex.selectorKey(gateway.tree().path("spec").path("selector"));
    for (Resource other : ctx.mesh().gatewaysClaiming(selector, port.path("number").asInt(), host.host())) {
      if (other == gateway) {
        continue;
      }
      BoundHosts bound = new BoundHosts(ctx.mesh().virtualServicesBoundTo(new GatewayRef(other.namespace(), other.name())));
      for (JsonNode otherServer : other.tree().path("spec").path("servers")) {
        JsonNode otherPort = otherServer.path("port");
        if (otherPort.path("number").asInt() != port.path("number").asInt()
            || !PLAIN_HTTP.contains(otherPort.path("protocol").asText().toUpperCase(java.util.Locale.ROOT))) {
          continue;
        }
        for (JsonNode otherHost : otherServer.path("hosts")) {
          GatewayHost served = GatewayHost.parse(otherHost.asText());
          if (Hosts.intersect(served.host(), host.host())
              && bound.serve(new GatewayHost(served.namespace(), host.host()), other.namespace())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A host of a VirtualService bound to the Gateway, and the VirtualService's namespace. */
  private record BoundHost(String namespace, String host) {}

  /**
   * The hosts of the VirtualServices bound to a Gateway, read from their specs once per check and
   * only as far as the Gateway's hosts need: the first VirtualServices usually serve them.
   */
  private static final class BoundHosts {
    private final List<Resource> virtualServices;
    /**
     * The hosts read so far: exact ones by name, since an exact Gateway host intersects an exact
     * VirtualService host only when they are equal (a Gateway of many hosts then looks each up
     * rather than comparing it with every host read), and wildcards apart.
     */
    private final Map<String, List<BoundHost>> exactRead = new HashMap<>();
    private final List<BoundHost> wildcardsRead = new ArrayList<>();
    private int readUpTo;

    BoundHosts(List<Resource> virtualServices) {
      this.virtualServices = virtualServices;
    }

    boolean serve(GatewayHost host, String gatewayNamespace) {
      if (servedByRead(host, gatewayNamespace)) {
        return true;
      }
      while (readUpTo < virtualServices.size()) {
        Resource vs = virtualServices.get(readUpTo++);
        boolean served = false;
        for (JsonNode vsHost : vs.tree().path("spec").path("hosts")) {
          BoundHost b = new BoundHost(vs.namespace(), vsHost.asText());
          if (Hosts.isWildcard(b.host())) {
            wildcardsRead.add(b);
          } else {
            exactRead.computeIfAbsent(b.host(), k -> new ArrayList<>(1)).add(b);
          }
          served |= serves(b, host, gatewayNamespace);
        }
        if (served) {
          return true;
        }
      }
      return false;
    }

    private boolean servedByRead(GatewayHost host, String gatewayNamespace) {
      for (BoundHost b : wildcardsRead) {
        if (serves(b, host, gatewayNamespace)) {
          return true;
        }
      }
      if (!Hosts.isWildcard(host.host())) {
        for (BoundHost b : exactRead.getOrDefault(host.host(), List.of())) {
          if (serves(b, host, gatewayNamespace)) {
            return true;
          }
        }
        return false;
      }
      for (List<BoundHost> sameHost : exactRead.values()) {
        for (BoundHost b : sameHost) {
          if (serves(b, host, gatewayNamespace)) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean serves(BoundHost b, GatewayHost host, String gatewayNamespace) {
      return host.admits(b.namespace(), gatewayNamespace) && Hosts.intersect(host.host(), b.host());
    }
  }
}
