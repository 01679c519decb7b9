package io.meshlint.core.rules.egress;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlint.core.mesh.Hosts;
import io.meshlint.core.mesh.MeshView;
import io.meshlint.core.model.Resource;
import io.meshlint.core.rules.common.Trees;
import io.meshlint.core.source.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** TLS origination settings of DestinationRules, and the ServiceEntry ports they apply to; for MSH1014 and MSH1015. */
final class TlsOrigination {
  private TlsOrigination() {}

  private static final Set<String> ORIGINATING = Set.of("SIMPLE", "MUTUAL");

  /** One originating {@code tls} block: {@code port} null for the rule-wide one. */
  record Setting(Integer port, FieldPath modePath) {}

  /**
   * The DestinationRule's {@code tls} blocks that originate TLS; the rule-wide one applies to the
   * ports no port-level setting with its own {@code tls} covers.
   */
  static void forEachSetting(Resource dr, Consumer<Setting> action) {
    JsonNode policy = dr.tree().path("spec").path("trafficPolicy");
    FieldPath policyPath = FieldPath.of("spec", "trafficPolicy");
    if (ORIGINATING.contains(policy.path("tls").path("mode").asText())) {
      action.accept(new Setting(null, policyPath.then("tls.mode")));
    }
    Trees.forEach(policy.path("portLevelSettings"), policyPath.key("portLevelSettings"), (p, path) -> {
      if (ORIGINATING.contains(p.path("tls").path("mode").asText()) && p.path("port").path("number").canConvertToInt()) {
        action.accept(new Setting(p.path("port").path("number").asInt(), path.then("tls.mode")));
      }
    });
  }

  /** Ports that have their own {@code tls} in the rule's port-level settings. */
  static Set<Integer> portsWithOwnTls(Resource dr) {
    Set<Integer> out = new java.util.HashSet<>();
    for (JsonNode p : dr.tree().path("spec").path("trafficPolicy").path("portLevelSettings")) {
      if (p.path("tls").isObject()) {
        out.add(p.path("port").path("number").asInt());
      }
    }
    return out;
  }

  /** The ServiceEntry ports a setting applies to. */
  static List<JsonNode> portsOf(Setting setting, Resource serviceEntry, Set<Integer> portsWithOwnTls) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode port : serviceEntry.tree().path("spec").path("ports")) {
      int number = port.path("number").asInt();
      if (setting.port() == null ? !portsWithOwnTls.contains(number) : setting.port() == number) {
        out.add(port);
      }
    }
    return out;
  }

  /**
   * The port the proxy connects to: {@code targetPort}, else the port's number. With
   * {@code resolution: NONE} the proxy connects to the address and port the application called,
   * and Istio ignores {@code targetPort}.
   */
  static int target(Resource serviceEntry, JsonNode sePort) {
    boolean original = serviceEntry.tree().path("spec").path("resolution").asText().equals("NONE");
    return !original && sePort.path("targetPort").canConvertToInt() && sePort.path("targetPort").asInt() > 0
        ? sePort.path("targetPort").asInt() : sePort.path("number").asInt();
  }

  /**
   * One HTTP route of a VirtualService: the VirtualService's hosts, the port its match requires (null
   * for any) and its destination (port null when the route keeps the request's port).
   */
  record HttpRoute(List<String> hosts, Integer matchPort, String destinationFqdn, Integer destinationPort) {}

  /**
   * The HTTP routes of the VirtualServices that concern a host pattern (see {@link #httpRoutes}), read
   * on first use and then kept: a check needs them only for the few ports it doubts, and then for
   * each such port.
   */
  static final class Routes {
    private final MeshView mesh;
    private final String hostPattern;
    private List<HttpRoute> routes;

    Routes(MeshView mesh, String hostPattern) {
      this.mesh = mesh;
      this.hostPattern = hostPattern;
    }

    List<HttpRoute> get() {
      if (routes == null) {
        routes = httpRoutes(mesh, hostPattern);
      }
      return routes;
    }
  }

  /**
   * The destinations of the HTTP routes, mesh and gateway alike, of the VirtualServices that route
   * to a host the pattern intersects or define such a host (all that {@link #plainHttpSentTo} and
   * {@link #rewrittenAway} look at), with the port each route is matched on when all its matches
   * name one. An HTTP route carries plain HTTP (Istio applies {@code http} routes to HTTP ports
   * only), so the port it sends to receives plain HTTP.
   */
  private static List<HttpRoute> httpRoutes(MeshView mesh, String hostPattern) {
    String domain = mesh.settings().clusterDomain();
    Set<Resource> concerned = new LinkedHashSet<>(mesh.virtualServicesRoutingHttpTo(hostPattern));
    concerned.addAll(mesh.virtualServicesIntersecting(hostPattern));
    List<HttpRoute> out = new ArrayList<>();
    for (Resource vs : concerned) {
      List<String> hosts = new ArrayList<>();
      vs.tree().path("spec").path("hosts").forEach(h -> hosts.add(Hosts.toFqdn(h.asText(), vs.namespace(), domain)));
      for (JsonNode http : vs.tree().path("spec").path("http")) {
        Integer matchPort = null;
        for (JsonNode match : http.path("match")) {
          Integer port = match.path("port").canConvertToInt() ? match.path("port").asInt() : null;
          if (port == null || (matchPort != null && !matchPort.equals(port))) {
            matchPort = null;
            break;
          }
          matchPort = port;
        }
        for (JsonNode route : http.path("route")) {
          JsonNode destination = route.path("destination");
          if (!destination.path("host").asText().isEmpty()) {
            JsonNode number = destination.path("port").path("number");
            out.add(new HttpRoute(hosts, matchPort, Hosts.toFqdn(destination.path("host").asText(), vs.namespace(), domain),
                number.canConvertToInt() ? number.asInt() : null));
          }
        }
      }
    }
    return out;
  }

  /** True when a VirtualService's HTTP route sends plain HTTP to {@code port} of a host the pattern covers. */
  static boolean plainHttpSentTo(List<HttpRoute> routes, String hostPattern, int port) {
    return routes.stream().anyMatch(r -> Integer.valueOf(port).equals(r.destinationPort())
        && Hosts.covers(hostPattern, r.destinationFqdn()));
  }

  /**
   * True when VirtualServices for the host send the requests arriving on {@code port} elsewhere (to
   * another port, Istio's "port 80 to 443" rewrite, or to an egress gateway) and no route sends
   * requests to this port of the host: none get there.
   */
  static boolean rewrittenAway(List<HttpRoute> routes, String hostPattern, int port) {
    boolean away = false;
    for (HttpRoute r : routes) {
      boolean toHost = Hosts.covers(hostPattern, r.destinationFqdn());
      Integer sentTo = r.destinationPort() != null ? r.destinationPort() : r.matchPort();
      if (toHost && (sentTo == null || sentTo == port)) {
        return false;
      }
      away |= Integer.valueOf(port).equals(r.matchPort()) && r.hosts().stream().anyMatch(h -> Hosts.intersect(h, hostPattern));
    }
    return away;
  }

  /** The fully qualified host of a DestinationRule. */
  static String hostOf(Resource dr, MeshView mesh) {
    return Hosts.toFqdn(dr.tree().path("spec").path("host").asText(), dr.namespace(), mesh.settings().clusterDomain());
  }

  static boolean declaresTls(JsonNode sePort) {
    String protocol = sePort.path("protocol").asText();
    return protocol.equalsIgnoreCase("HTTPS") || protocol.equalsIgnoreCase("TLS");
  }

  /** The DestinationRules visible from the namespace whose host covers {@code host}. */
  static List<Resource> destinationRulesFor(String host, String fromNamespace, MeshView mesh) {
    String domain = mesh.settings().clusterDomain();
    String fqdn = Hosts.toFqdn(host, fromNamespace, domain);
    List<Resource> out = new ArrayList<>();
    for (Resource dr : mesh.destinationRulesFor(fqdn)) {
      if (Hosts.covers(Hosts.toFqdn(dr.tree().path("spec").path("host").asText(), dr.namespace(), domain), fqdn)
          && MeshView.visibleFrom(dr, fromNamespace)) {
        out.add(dr);
      }
    }
    return out;
  }

  static String name(Resource r) {
    return r.namespace() + "/" + r.name();
  }
}
